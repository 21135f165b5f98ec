package com.shopcrm.campaign.client;

import com.shopcrm.campaign.model.CampaignInput.Product;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Which of a {@code new_product} offer's products each recipient gets, from scoring-service's
 * recommendations in bulk: ONE call per campaign and batch (at most {@link #MAX_IDS} customers).
 * A failure (scoring-service down, no key) fails the call; {@code ProductPicker} keeps the
 * messages pending and tries again.
 */
@ApplicationScoped
public class ProductPicks {

  /** scoring-service's limit per call. */
  public static final int MAX_IDS = 1000;

  private final ScoringPicksClient client;
  private final ServiceTokens tokens;

  ProductPicks(@RestClient ScoringPicksClient client, ServiceTokens tokens) {
    this.client = client;
    this.tokens = tokens;
  }

  /** Product names by customer, best first, up to {@code limit} each (customers without picks are absent). */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 15, delayUnit = ChronoUnit.SECONDS)
  public Uni<Map<Long, List<String>>> pick(String tenantId, List<Long> customerIds, List<Product> products, int limit) {
    String authorization = tokens.authorizationFor(tenantId).orElseThrow(() -> new IllegalStateException(
        "no internal private key configured (CRM_JWT_PRIVATE_KEY_LOCATION): cannot ask scoring-service"));
    Map<String, String> names = new HashMap<>();
    products.forEach(p -> names.put(p.sku(), p.name()));
    return client.picks(authorization, new ScoringPicksClient.PicksRequest(customerIds,
            products.stream().map(p -> new ScoringPicksClient.Product(p.sku(), p.name(), p.category())).toList(), limit))
        .map(response -> {
          Map<Long, List<String>> picks = new HashMap<>();
          if (response != null && response.items() != null) {
            response.items().forEach(c -> {
              List<String> list = new ArrayList<>();
              c.products().forEach(p -> list.add(names.getOrDefault(p.sku(),
                  p.productName() != null ? p.productName() : p.sku())));
              picks.put(c.customerId(), list);
            });
          }
          return picks;
        });
  }
}
