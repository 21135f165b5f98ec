package com.shopcrm.order.service.imports;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * One CSV record read into our terms: the order it belongs to and its line item, or the reason it
 * cannot be imported ({@code error}). {@code line} is the physical line the record starts on
 * (1-based, the header is line 1). Null fields were empty.
 */
public record ImportRow(long line, String orderNo, String customerExternalId, boolean anonymous, String platform,
    OffsetDateTime orderedAt, OffsetDateTime paidAt, BigDecimal totalAmount, BigDecimal refundAmount, String status,
    String customerName, String phone, String email, String province, String city, String couponCode, String channel,
    Item item, String error) {

  /** A line item; {@code unitPrice} null means "derive it from the order total" (single-item orders). */
  public record Item(String sku, String productName, String category, int quantity, BigDecimal unitPrice) {
  }

  public static ImportRow rejected(long line, String orderNo, String error) {
    return new ImportRow(line, orderNo, null, false, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, error);
  }
}
