package com.shopcrm.order.analytics;

import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.order.analytics.SalesReport.Bucket;
import com.shopcrm.order.analytics.SalesReport.Metrics;
import com.shopcrm.order.analytics.SalesReport.TopItem;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Sales analytics over the tenant's orders (see {@link SalesReport.Metrics} for the definitions). */
@ApplicationScoped
public class SalesAnalyticsService {

  static final int TOP = 10;

  private final Pool pool;
  private final SalesAnalyticsRepository repo;

  SalesAnalyticsService(Pool pool, SalesAnalyticsRepository repo) {
    this.pool = pool;
    this.repo = repo;
  }

  /** {@code from} inclusive, {@code to} exclusive; buckets in {@code zone}. */
  public Uni<SalesReport> sales(TenantContext tenant, OffsetDateTime from, OffsetDateTime to, String granularity,
      String zone) {
    String tid = tenant.tenantId();
    return repo.metrics(pool, tid, from, to, granularity, zone).flatMap(rows -> {
      Metrics totals = null;
      List<Bucket> buckets = new ArrayList<>();
      for (Row r : rows) {
        Metrics m = metrics(r);
        if (r.getInteger("total") == 1) {
          totals = m;
        } else {
          buckets.add(new Bucket(r.getLocalDate("bucket"), m));
        }
      }
      Metrics all = totals;
      return repo.top(pool, tid, from, to, TOP).map(top -> {
        List<TopItem> products = new ArrayList<>();
        List<TopItem> categories = new ArrayList<>();
        for (Row r : top) {
          TopItem item = new TopItem(r.getLong("rank").intValue(), r.getString("key"), r.getString("name"),
              r.getLong("quantity"), money(r.getBigDecimal("revenue")), r.getLong("orders"));
          ("product".equals(r.getString("kind")) ? products : categories).add(item);
        }
        return new SalesReport(from, to, granularity, zone, all, buckets, products, categories);
      });
    });
  }

  private static Metrics metrics(Row r) {
    BigDecimal gross = money(r.getBigDecimal("gross"));
    BigDecimal refunded = money(r.getBigDecimal("refunded"));
    BigDecimal revenue = gross.subtract(refunded);
    long orders = r.getLong("orders");
    long buyers = r.getLong("buyers");
    long newBuyers = r.getLong("new_buyers");
    long repeat = r.getLong("repeat_buyers");
    long refundedOrders = r.getLong("refunded_orders");
    long returned = r.getLong("returned_orders");
    return new Metrics(revenue, gross, refunded, orders, r.getLong("anonymous_orders"), buyers,
        divide(revenue, buyers, 2), divide(revenue, orders, 2), newBuyers, buyers - newBuyers, repeat,
        rate(repeat, buyers), refundedOrders, rate(refundedOrders, orders), returned, rate(returned, orders));
  }

  private static BigDecimal money(BigDecimal value) {
    return (value == null ? BigDecimal.ZERO : value).setScale(2, RoundingMode.HALF_UP);
  }

  private static BigDecimal divide(BigDecimal value, long by, int scale) {
    return by == 0 ? null : value.divide(BigDecimal.valueOf(by), scale, RoundingMode.HALF_UP);
  }

  private static BigDecimal rate(long part, long whole) {
    return divide(BigDecimal.valueOf(part), whole, 4);
  }
}
