package com.shopcrm.order.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.order.config.OrderEventsConfig;
import com.shopcrm.order.config.OrderEventsConfig.Subscriber;
import com.shopcrm.order.events.EventDeliveryRepository.DeliveryView;
import com.shopcrm.order.model.OrderEventView;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** The tenant's view of order events: replay, delivery status per subscriber, redelivery, parked events. */
@ApplicationScoped
public class EventDeliveryService {

  private final Pool pool;
  private final EventDeliveryRepository repo;
  private final OrderEventsConfig config;
  private final ObjectMapper mapper;

  EventDeliveryService(Pool pool, EventDeliveryRepository repo, OrderEventsConfig config, ObjectMapper mapper) {
    this.pool = pool;
    this.repo = repo;
    this.config = config;
    this.mapper = mapper;
  }

  /** A subscriber's delivery state for the tenant. */
  public record SubscriberStatus(String name, boolean enabled, String target, Set<String> types,
      boolean requiresCustomer, Long lastDeliveredSeq, long lag, long pendingRetries, long poison, boolean redelivering,
      String lastError, OffsetDateTime lastErrorAt, OffsetDateTime nextAttemptAt) {
  }

  public record Redelivery(String subscriber, long fromSeq, long events) {
  }

  /**
   * The tenant's events in seq order after {@code afterSeq}, from {@code from} (occurred_at) on
   * when given. Without after_seq the start is found through the (tenant_id, occurred_at, seq)
   * index, so a resync from yesterday does not walk years of events.
   */
  public Uni<OrderEventView.Page> replay(TenantContext tenant, Long afterSeq, OffsetDateTime from, int limit) {
    String tid = tenant.tenantId();
    Uni<Long> start = afterSeq != null || from == null ? Uni.createFrom().item(afterSeq == null ? 0L : afterSeq)
        : pool.preparedQuery("SELECT min(seq) AS s FROM order_event WHERE tenant_id = $1 AND occurred_at >= $2")
            .execute(Tuple.of(tid, from))
            .map(rows -> {
              Long first = rows.iterator().next().getLong("s");
              return first == null ? Long.MAX_VALUE - 1 : first - 1;
            });
    return start.flatMap(after -> pool.preparedQuery("""
            SELECT seq, event_id, type, order_id, order_no, customer_id, customer_external_id, occurred_at,
                   payload::text AS payload
              FROM order_event WHERE tenant_id = $1 AND seq > $2 AND ($3::timestamptz IS NULL OR occurred_at >= $3)
             ORDER BY seq LIMIT $4""")
        .execute(Tuple.from(Arrays.asList(tid, after, from, limit + 1)))
        .map(rows -> {
          List<OrderEventView> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new OrderEventView(r.getLong("seq"), r.getUUID("event_id"), r.getString("type"),
                r.getLong("order_id"), r.getString("order_no"), r.getLong("customer_id"),
                r.getString("customer_external_id"), r.getOffsetDateTime("occurred_at"), json(r.getString("payload"))));
          }
          return out.size() > limit
              ? new OrderEventView.Page(List.copyOf(out.subList(0, limit)), out.get(limit - 1).seq())
              : new OrderEventView.Page(out, null);
        }));
  }

  public Uni<List<SubscriberStatus>> subscribers(TenantContext tenant) {
    TreeMap<String, Subscriber> all = new TreeMap<>(config.subscribers());
    return Multi.createFrom().iterable(all.entrySet())
        .onItem().transformToUniAndConcatenate(e -> repo.status(pool, tenant.tenantId(), e.getKey()).map(s -> {
          Subscriber sub = e.getValue();
          String lastError = s.tenantLastError() != null && (s.lastErrorAt() == null || s.pending() + s.poison() > 0)
              ? s.tenantLastError() : s.lastError();
          return new SubscriberStatus(e.getKey(), sub.enabled(), sub.url() + sub.path(), sub.types().orElse(Set.of()),
              sub.requiresCustomer(), s.deliveredSeq(), s.unscanned() + s.pending(), s.pending(), s.poison(),
              s.replayUntil() != null, lastError, s.lastErrorAt(), s.nextAttemptAt());
        }))
        .collect().asList();
  }

  public Uni<Redelivery> redeliver(TenantContext tenant, String subscriber, long fromSeq) {
    if (!config.subscribers().containsKey(subscriber)) {
      throw ProblemException.invalid("subscriber", "must be one of " + new TreeMap<>(config.subscribers()).keySet());
    }
    return pool.withTransaction(tx -> repo.redeliver(tx, tenant.tenantId(), subscriber, fromSeq))
        .map(n -> new Redelivery(subscriber, fromSeq, n));
  }

  public Uni<List<DeliveryView>> deliveries(TenantContext tenant, String subscriber, String status, long afterSeq,
      int limit) {
    return repo.deliveries(pool, tenant.tenantId(), subscriber, status, afterSeq, limit);
  }

  private com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable event payload", e);
    }
  }
}
