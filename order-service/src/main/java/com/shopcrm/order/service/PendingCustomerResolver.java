package com.shopcrm.order.service;

import com.shopcrm.order.client.Buyer;
import com.shopcrm.order.client.CustomerDirectory;
import com.shopcrm.order.client.ServiceTokens;
import com.shopcrm.order.config.OrderConfig;
import com.shopcrm.order.repository.OrderRepository;
import com.shopcrm.order.repository.OrderRepository.PendingBuyer;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves the buyers of orders stored while customer-service was down ({@code customer_pending}),
 * in the background: per tenant, one bulk customer-service call for up to
 * {@code crm.order.customer-retry.batch-size} orders. It needs an internal token per tenant from
 * {@link ServiceTokens}; while none is configured it logs and skips (the orders stay pending,
 * nothing is lost).
 */
@ApplicationScoped
public class PendingCustomerResolver {

  private final Pool pool;
  private final OrderRepository orders;
  private final CustomerDirectory customers;
  private final ServiceTokens tokens;
  private final OrderConfig config;
  private final Clock clock;

  PendingCustomerResolver(Pool pool, OrderRepository orders, CustomerDirectory customers, ServiceTokens tokens,
      OrderConfig config, Clock clock) {
    this.pool = pool;
    this.orders = orders;
    this.customers = customers;
    this.tokens = tokens;
    this.config = config;
    this.clock = clock;
  }

  @Scheduled(every = "${crm.order.customer-retry.every:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return resolvePending().onFailure().recoverWithItem(failure -> {
      Log.warnf("pending customer resolution failed, next run retries: %s", failure.toString());
      return 0;
    }).replaceWithVoid();
  }

  /** One pass over the tenants with pending orders; the number of orders resolved. */
  public Uni<Integer> resolvePending() {
    return orders.tenantsWithPendingBuyers(pool, config.customerRetry().tenantsPerRun())
        .flatMap(tenants -> Multi.createFrom().iterable(tenants)
            .onItem().transformToUniAndConcatenate(this::resolveTenant)
            .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue)));
  }

  private Uni<Integer> resolveTenant(String tenantId) {
    Optional<String> authorization = tokens.authorizationFor(tenantId);
    if (authorization.isEmpty()) {
      Log.infof("tenant %s has orders with pending customers; skipped: no service token source is configured",
          tenantId);
      return Uni.createFrom().item(0);
    }
    return orders.pendingBuyers(pool, tenantId, config.customerRetry().batchSize()).flatMap(pending -> {
      Map<String, Buyer> buyers = new LinkedHashMap<>();
      for (PendingBuyer p : pending) {
        buyers.putIfAbsent(Buyer.key(p.platform(), p.externalId()), new Buyer(p.platform(), p.externalId(), p.name(),
            p.phone(), p.email(), p.province(), p.city()));
      }
      return customers.resolve(authorization.get(), null, List.copyOf(buyers.values())).flatMap(resolution -> {
        if (!resolution.available()) {
          return Uni.createFrom().item(0);
        }
        int n = pending.size();
        Long[] orderIds = new Long[n];
        Long[] customerIds = new Long[n];
        String[] errors = new String[n];
        for (int i = 0; i < n; i++) {
          String key = Buyer.key(pending.get(i).platform(), pending.get(i).externalId());
          orderIds[i] = pending.get(i).orderId();
          customerIds[i] = resolution.ids().get(key);
          errors[i] = customerIds[i] == null ? resolution.errors().getOrDefault(key, "no answer") : null;
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        return orders.resolvePending(pool, tenantId, orderIds, customerIds, errors, now)
            .invoke(count -> Log.infof("resolved the customers of %d pending order(s) of tenant %s", count, tenantId));
      });
    });
  }
}
