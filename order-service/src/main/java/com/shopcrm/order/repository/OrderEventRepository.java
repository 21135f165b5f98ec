package com.shopcrm.order.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.order.model.OrderEventView;
import com.shopcrm.order.model.OrderView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The order-event outbox: each change appends its event on the change's own transaction, so an
 * event exists exactly when the change committed. Read back in {@code seq} order per tenant.
 */
@ApplicationScoped
public class OrderEventRepository {

  private final ObjectMapper mapper;

  OrderEventRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public Uni<Void> append(SqlClient tx, String tenantId, String type, OrderView order, OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO order_event (tenant_id, event_id, type, order_id, order_no, customer_id, customer_external_id,
                occurred_at, payload)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb)""")
        .execute(Tuple.from(Arrays.asList(tenantId, UUID.randomUUID(), type, order.id(), order.orderNo(),
            order.customerId(), order.customerExternalId(), now, payload(order))))
        .replaceWithVoid();
  }

  /** One event of {@code type} per order, in ONE statement, their seqs following the list's order. */
  public Uni<Void> appendAll(SqlClient tx, String tenantId, String type, List<OrderView> orders, OffsetDateTime now) {
    if (orders.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    int n = orders.size();
    UUID[] eventId = new UUID[n];
    Long[] orderId = new Long[n];
    String[] orderNo = new String[n];
    Long[] customerId = new Long[n];
    String[] externalId = new String[n];
    String[] payload = new String[n];
    for (int i = 0; i < n; i++) {
      OrderView order = orders.get(i);
      eventId[i] = UUID.randomUUID();
      orderId[i] = order.id();
      orderNo[i] = order.orderNo();
      customerId[i] = order.customerId();
      externalId[i] = order.customerExternalId();
      payload[i] = payload(order);
    }
    return tx.preparedQuery("""
            INSERT INTO order_event (tenant_id, event_id, type, order_id, order_no, customer_id, customer_external_id,
                occurred_at, payload)
            SELECT $1, e.event_id, $2, e.order_id, e.order_no, e.customer_id, e.customer_external_id, $3,
                   e.payload::jsonb
              FROM unnest($4::uuid[], $5::int8[], $6::text[], $7::int8[], $8::text[], $9::text[]) WITH ORDINALITY
                   AS e(event_id, order_id, order_no, customer_id, customer_external_id, payload, n)
             ORDER BY e.n""")
        .execute(Tuple.from(Arrays.asList(tenantId, type, now, eventId, orderId, orderNo, customerId, externalId,
            payload)))
        .replaceWithVoid();
  }

  /** What an event carries: the order without contact details. */
  private String payload(OrderView order) {
    try {
      return mapper.writeValueAsString(order.forEvent());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the event payload", e);
    }
  }

  /** Up to {@code limit} events after {@code afterSeq}, in seq order. */
  public Uni<List<OrderEventView>> after(SqlClient client, String tenantId, long afterSeq, int limit) {
    return client.preparedQuery("""
            SELECT seq, event_id, type, order_id, order_no, customer_id, customer_external_id, occurred_at,
                   payload::text AS payload
              FROM order_event WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3""")
        .execute(Tuple.of(tenantId, afterSeq, limit))
        .map(rows -> {
          List<OrderEventView> out = new ArrayList<>();
          rows.forEach(r -> {
            try {
              out.add(new OrderEventView(r.getLong("seq"), r.getUUID("event_id"), r.getString("type"),
                  r.getLong("order_id"), r.getString("order_no"), r.getLong("customer_id"),
                  r.getString("customer_external_id"), r.getOffsetDateTime("occurred_at"),
                  mapper.readTree(r.getString("payload"))));
            } catch (JsonProcessingException e) {
              throw new IllegalStateException("unreadable event payload", e);
            }
          });
          return out;
        });
  }
}
