package com.shopcrm.order.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.order.model.OrderInput;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

/**
 * The content of an order submission, made canonical (defaults applied, amounts to 2 decimals,
 * instants in UTC) and hashed: the same order sent again, however formatted, has the same hash.
 */
final class OrderFingerprint {

  private OrderFingerprint() {
  }

  private record Canonical(String orderNo, String customerExternalId, String platform, String orderedAt,
      String totalAmount, String discountAmount, String shippingFee, String status, String paidAt, List<Item> items,
      String couponCode, String channel, String customerName, String customerPhone, String customerEmail,
      String province, String city) {
  }

  private record Item(String sku, String productName, String category, int quantity, String unitPrice) {
  }

  static String of(ObjectMapper mapper, OrderInput in) {
    Canonical c = new Canonical(in.orderNo(), in.customerExternalId(), in.platformOrDefault().wire(),
        instant(in.orderedAt()), money(in.totalAmount()), money(in.discountAmount()), money(in.shippingFee()),
        in.statusOrDefault().wire(), instant(in.paidAt()),
        in.itemList().stream().map(i -> new Item(i.sku(), i.productName(), i.category(), i.quantity(),
            money(i.unitPrice()))).toList(),
        in.couponCode(), in.channel(), in.customerName(), in.customerPhone(), in.customerEmail(), in.province(),
        in.city());
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(mapper.writeValueAsString(c).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException("cannot fingerprint the order", e);
    }
  }

  static BigDecimal scaled(BigDecimal amount) {
    return amount == null ? BigDecimal.ZERO.setScale(2) : amount.setScale(2, RoundingMode.UNNECESSARY);
  }

  private static String money(BigDecimal amount) {
    return scaled(amount).toPlainString();
  }

  private static String instant(OffsetDateTime at) {
    return at == null ? null : at.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }
}
