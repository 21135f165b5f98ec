package com.shopcrm.order.rest;

import com.shopcrm.order.Order;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** An order as the API shows it (snake_case on the wire). */
public record OrderView(
    long id,
    String orderNo,
    String customerExternalId,
    OffsetDateTime orderedAt,
    BigDecimal totalAmount,
    String status,
    OffsetDateTime createdAt) {

  static OrderView of(Order order) {
    return new OrderView(order.id, order.orderNo, order.customerExternalId, order.orderedAt,
        order.totalAmount, order.status, order.createdAt);
  }
}
