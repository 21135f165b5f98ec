package com.shopcrm.order.events;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One row of the order-event outbox as the dispatcher reads it ({@code payload}: the order, JSON text). */
record OutboxEvent(String tenantId, long seq, UUID eventId, String type, long orderId, String orderNo,
    Long customerId, String customerExternalId, OffsetDateTime occurredAt, String payload) {

  /**
   * The unit of ordering: a customer's events are delivered in seq order. Keyed by the buyer id
   * the order names (stable while the customer_id is still pending); an anonymous order is its own key.
   */
  String customerKey() {
    return customerExternalId != null ? "x:" + customerExternalId : "o:" + orderId;
  }

  /** The customer key within the tenant. */
  String orderingKey() {
    return tenantId + '\u0000' + customerKey();
  }
}
