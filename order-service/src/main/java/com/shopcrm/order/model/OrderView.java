package com.shopcrm.order.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An order as the API shows it. {@code refunds} and {@code reviews} are filled on a single
 * order's read only (absent in lists and event payloads).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderView(
    long id,
    String orderNo,
    String customerExternalId,
    String customerPlatform,
    Long customerId,
    boolean customerPending,
    String customerName,
    String customerPhone,
    String customerEmail,
    String province,
    String city,
    OffsetDateTime orderedAt,
    OffsetDateTime paidAt,
    BigDecimal totalAmount,
    BigDecimal discountAmount,
    BigDecimal shippingFee,
    BigDecimal refundedAmount,
    String status,
    String couponCode,
    String channel,
    List<OrderItemView> items,
    List<RefundView> refunds,
    List<ReviewView> reviews,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  public OrderView withDetails(List<RefundView> refunds, List<ReviewView> reviews) {
    return new OrderView(id, orderNo, customerExternalId, customerPlatform, customerId, customerPending, customerName,
        customerPhone, customerEmail, province, city, orderedAt, paidAt, totalAmount, discountAmount, shippingFee,
        refundedAmount, status, couponCode, channel, items, refunds, reviews, createdAt, updatedAt);
  }

  /** Phone and e-mail masked, for roles without PII permission. */
  public OrderView masked() {
    return new OrderView(id, orderNo, customerExternalId, customerPlatform, customerId, customerPending, customerName,
        ContactMask.phone(customerPhone), ContactMask.email(customerEmail), province, city, orderedAt, paidAt,
        totalAmount, discountAmount, shippingFee, refundedAmount, status, couponCode, channel, items, refunds, reviews,
        createdAt, updatedAt);
  }

  /** What an outbox event carries: the order without contact details (subscribers need no PII). */
  public OrderView forEvent() {
    return new OrderView(id, orderNo, customerExternalId, customerPlatform, customerId, customerPending, customerName,
        null, null, province, city, orderedAt, paidAt, totalAmount, discountAmount, shippingFee, refundedAmount, status,
        couponCode, channel, items, null, null, createdAt, updatedAt);
  }
}
