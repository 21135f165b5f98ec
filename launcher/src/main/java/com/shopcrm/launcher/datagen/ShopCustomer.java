package com.shopcrm.launcher.datagen;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * One generated customer with everything the shop knows about them, and the latent values they were drawn with
 * ({@code lambda}, {@code dropout}, {@code spendScale}) so tests can compare what came out with what went in.
 *
 * @param channel  where they buy: taobao, tmall, jd or own (the shop's own site)
 * @param optOuts  channels (sms, email, app) they opted out of
 * @param orders   in time order; the first is the first purchase
 */
public record ShopCustomer(int index, String externalId, String name, String phone, String email, String gender,
    LocalDate birthday, String province, String city, String channel, List<String> tags, Set<String> optOuts,
    List<Order> orders, List<Event> events, double lambda, double dropout, double spendScale) {

  /** One order; {@code refund} is null when nothing was refunded. */
  public record Order(String orderNo, OffsetDateTime orderedAt, String status, BigDecimal total, BigDecimal refund,
      String channel, String couponCode, List<Item> items) {
  }

  /** A line item; the items' quantity × unit_price add up to the order's total. */
  public record Item(Product product, int quantity, BigDecimal unitPrice) {
  }

  /** A behaviour event as customer-service takes it: type cart_abandon or review, with properties. */
  public record Event(String type, OffsetDateTime occurredAt, java.util.Map<String, Object> properties) {
  }

  /** Repeat purchases: orders after the first (the BG/NBD x), whatever their status. */
  public int repeatPurchases() {
    return orders.size() - 1;
  }
}
