package com.shopcrm.order.client;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Finds or creates the buyers of orders in customer-service: ONE bulk call per batch of orders
 * (never a call per order). Owns the fault tolerance of that call; when customer-service cannot be
 * reached the answer is {@link BuyerResolution#unavailable()}, never an error, so an order is
 * never lost because customer-service is down.
 */
@ApplicationScoped
public class CustomerDirectory {

  /** customer-service's limit per bulk call. */
  public static final int MAX_BATCH = 1000;

  private final CustomerServiceClient client;

  CustomerDirectory(@RestClient CustomerServiceClient client) {
    this.client = client;
  }

  /**
   * Upserts the buyers (at most {@link #MAX_BATCH}, distinct keys) with the caller's internal
   * token ({@code Authorization} header value).
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, jitter = 100)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 15, delayUnit = ChronoUnit.SECONDS)
  @Fallback(fallbackMethod = "unavailable")
  public Uni<BuyerResolution> resolve(String authorization, String requestId, List<Buyer> buyers) {
    if (buyers.isEmpty()) {
      return Uni.createFrom().item(BuyerResolution.NONE_NEEDED);
    }
    List<CustomerServiceClient.Customer> customers = new ArrayList<>(buyers.size());
    for (Buyer b : buyers) {
      // no name: customer-service names a new profile by its external id and leaves an existing one's name
      customers.add(new CustomerServiceClient.Customer(b.externalId(), b.platform(),
          b.name() == null || b.name().isBlank() ? null : b.name(), b.phone(), b.email(), b.province(), b.city()));
    }
    return client.upsert(authorization, requestId, new CustomerServiceClient.BatchRequest(customers))
        .map(response -> {
          Map<String, Long> ids = new HashMap<>();
          Map<String, String> errors = new LinkedHashMap<>();
          List<CustomerServiceClient.Result> results = response == null || response.results() == null
              ? List.of() : response.results();
          for (CustomerServiceClient.Result r : results) {
            if (r.index() < 0 || r.index() >= buyers.size()) {
              continue;
            }
            String key = buyers.get(r.index()).key();
            if (r.id() != null && !"error".equals(r.status())) {
              ids.put(key, r.id());
            } else {
              errors.put(key, r.error() == null ? "refused by customer-service" : r.error());
            }
          }
          for (Buyer b : buyers) { // an answer that skips an item: resolve it later rather than guess
            if (!ids.containsKey(b.key()) && !errors.containsKey(b.key())) {
              throw new IllegalStateException("customer-service answered no result for a buyer");
            }
          }
          return new BuyerResolution(true, ids, errors);
        });
  }

  Uni<BuyerResolution> unavailable(String authorization, String requestId, List<Buyer> buyers, Throwable failure) {
    Log.warnf("customer-service unavailable for %d buyer(s), orders stay customer_pending: %s", buyers.size(),
        failure.toString());
    return Uni.createFrom().item(BuyerResolution.unavailable());
  }
}
