package com.shopcrm.order.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One outbox event; {@code payload} is the order at that moment. */
public record OrderEventView(long seq, UUID eventId, String type, long orderId, String orderNo, Long customerId,
    String customerExternalId, OffsetDateTime occurredAt, JsonNode payload) {

  /** {@code {"items": [...], "next_after_seq": n | null}}. */
  public record Page(List<OrderEventView> items, Long nextAfterSeq) {
  }
}
