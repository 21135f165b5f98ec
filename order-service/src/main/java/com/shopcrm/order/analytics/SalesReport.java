package com.shopcrm.order.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code GET /api/v1/analytics/sales}: per bucket and for the whole period. Money in the shop's
 * currency; rates 0..1 with 4 decimals, null when their base is 0.
 */
public record SalesReport(OffsetDateTime from, OffsetDateTime to, String granularity, String timeZone,
    Metrics totals, List<Bucket> buckets, List<TopItem> topProducts, List<TopItem> topCategories) {

  /**
   * revenue: paid orders (paid, shipped, completed, refunded, partially refunded) net of refunds;
   * gross_revenue before refunds. buyers: distinct identified buyers (anonymous orders count in
   * revenue and orders only). aov (客单价) = revenue / buyers; avg_order_value = revenue / orders.
   * new_buyers: first paid order ever in the bucket (or period); returning_buyers: bought before.
   * repurchase_rate: buyers with 2+ paid orders in the bucket / buyers. refund_rate: orders with any
   * refund / orders; return_rate: orders with a return (goods back) / orders.
   */
  public record Metrics(BigDecimal revenue, BigDecimal grossRevenue, BigDecimal refundedAmount, long orders,
      long anonymousOrders, long buyers, BigDecimal aov, BigDecimal avgOrderValue, long newBuyers,
      long returningBuyers, long repeatBuyers, BigDecimal repurchaseRate, long refundedOrders, BigDecimal refundRate,
      long returnedOrders, BigDecimal returnRate) {
  }

  /** A day, week (starting Monday) or month, by its first day in the report's time zone. */
  public record Bucket(LocalDate start, Metrics metrics) {
  }

  /** A product (key = sku) or category (key = category, null for items without one); line amounts. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record TopItem(int rank, String key, String name, long quantity, BigDecimal revenue, long orders) {
  }
}
