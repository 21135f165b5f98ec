package com.shopcrm.order.analytics;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/**
 * The two SQL statements behind the sales report. Plan, per tenant and period:
 * <ul>
 *   <li>the period's paid orders: one range scan of {@code orders_ordered_at_idx (tenant_id,
 *   ordered_at)}, materialised once; returns are a probe of {@code order_refund_order_idx} per order
 *   that has a refund;</li>
 *   <li>"first paid order ever" per buyer of the period: one index probe per distinct buyer on
 *   {@code orders_customer_first_idx (tenant_id, customer_id, ordered_at)} (V11), or on
 *   {@code orders_customer_external_idx} for buyers customer-service has not resolved yet;</li>
 *   <li>per bucket and the total in one pass each with GROUPING SETS (orders, and buyers with their
 *   order counts); empty buckets come from generate_series;</li>
 *   <li>top products and categories: the period's items (primary key probe per order), ranked with
 *   row_number() over the grouped sums.</li>
 * </ul>
 * So the cost grows with the orders of the period, not with the tenant's history. Measured on this
 * 2-core machine with 1M orders / 200k buyers over two years in one tenant: one month (42k orders)
 * about 0.25 s for both statements; the whole two years by month (900k paid orders) about 6 s — a
 * report over a whole history would need a daily rollup, see docs/ORDER_EVENTS.md.
 */
@ApplicationScoped
public class SalesAnalyticsRepository {

  static final String PAID = "('paid', 'shipped', 'completed', 'refunded', 'partially_refunded')";

  Uni<RowSet<Row>> metrics(SqlClient db, String tenantId, OffsetDateTime from, OffsetDateTime to, String granularity,
      String zone) {
    return db.preparedQuery("""
        WITH o AS MATERIALIZED (
            SELECT o.id, o.total_amount, o.refunded_amount, o.customer_id, o.customer_platform,
                   o.customer_external_id, date_trunc($4::text, o.ordered_at AT TIME ZONE $5::text) AS bucket,
                   CASE WHEN o.customer_id IS NOT NULL THEN 'c' || o.customer_id
                        WHEN o.customer_external_id IS NOT NULL
                        THEN 'x' || o.customer_platform || ':' || o.customer_external_id END AS buyer,
                   o.refunded_amount > 0 AND EXISTS (SELECT 1 FROM order_refund r WHERE r.tenant_id = o.tenant_id
                        AND r.order_id = o.id AND r.type = 'return') AS returned
              FROM orders o
             WHERE o.tenant_id = $1 AND o.ordered_at >= $2 AND o.ordered_at < $3 AND o.status IN %1$s
        ),
        firsts AS MATERIALIZED (
            SELECT b.buyer, CASE WHEN b.customer_id IS NOT NULL
                   THEN (SELECT min(x.ordered_at) FROM orders x WHERE x.tenant_id = $1
                            AND x.customer_id = b.customer_id AND x.status IN %1$s)
                   ELSE (SELECT min(x.ordered_at) FROM orders x WHERE x.tenant_id = $1
                            AND x.customer_external_id = b.customer_external_id
                            AND x.customer_platform = b.customer_platform AND x.customer_id IS NULL
                            AND x.status IN %1$s) END AS first_at
              FROM (SELECT DISTINCT ON (buyer) buyer, customer_id, customer_platform, customer_external_id
                      FROM o WHERE buyer IS NOT NULL) b
        ),
        per_buyer AS (
            SELECT bucket, GROUPING(bucket) AS total, buyer, count(*) AS n
              FROM o WHERE buyer IS NOT NULL GROUP BY GROUPING SETS ((bucket, buyer), (buyer))
        ),
        buyer_stats AS (
            SELECT p.bucket, p.total, count(*) AS buyers, count(*) FILTER (WHERE p.n >= 2) AS repeat_buyers,
                   count(*) FILTER (WHERE CASE WHEN p.total = 1 THEN f.first_at >= $2
                        ELSE date_trunc($4::text, f.first_at AT TIME ZONE $5::text) = p.bucket END) AS new_buyers
              FROM per_buyer p JOIN firsts f USING (buyer)
             GROUP BY p.bucket, p.total
        ),
        order_stats AS (
            SELECT bucket, GROUPING(bucket) AS total, count(*) AS orders,
                   count(*) FILTER (WHERE buyer IS NULL) AS anonymous_orders,
                   sum(total_amount) AS gross, sum(refunded_amount) AS refunded,
                   count(*) FILTER (WHERE refunded_amount > 0) AS refunded_orders,
                   count(*) FILTER (WHERE returned) AS returned_orders
              FROM o GROUP BY GROUPING SETS ((bucket), ())
        ),
        buckets AS (
            SELECT g AS bucket, 0 AS total
              FROM generate_series(date_trunc($4::text, $2 AT TIME ZONE $5::text),
                                   ($3 AT TIME ZONE $5::text) - interval '1 microsecond',
                                   ('1 ' || $4::text)::interval) AS g
            UNION ALL SELECT NULL, 1
        )
        SELECT b.total, b.bucket::date AS bucket, coalesce(os.orders, 0) AS orders,
               coalesce(os.anonymous_orders, 0) AS anonymous_orders, coalesce(os.gross, 0) AS gross,
               coalesce(os.refunded, 0) AS refunded, coalesce(os.refunded_orders, 0) AS refunded_orders,
               coalesce(os.returned_orders, 0) AS returned_orders, coalesce(bs.buyers, 0) AS buyers,
               coalesce(bs.repeat_buyers, 0) AS repeat_buyers, coalesce(bs.new_buyers, 0) AS new_buyers
          FROM buckets b
          LEFT JOIN order_stats os ON os.total = b.total AND os.bucket IS NOT DISTINCT FROM b.bucket
          LEFT JOIN buyer_stats bs ON bs.total = b.total AND bs.bucket IS NOT DISTINCT FROM b.bucket
         ORDER BY b.total, b.bucket""".formatted(PAID))
        .execute(Tuple.of(tenantId, from, to, granularity, zone));
  }

  Uni<RowSet<Row>> top(SqlClient db, String tenantId, OffsetDateTime from, OffsetDateTime to, int limit) {
    return db.preparedQuery("""
        WITH items AS MATERIALIZED (
            SELECT i.sku, i.product_name, i.category, i.quantity, i.quantity * i.unit_price AS amount, i.order_id
              FROM orders o JOIN order_item i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
             WHERE o.tenant_id = $1 AND o.ordered_at >= $2 AND o.ordered_at < $3 AND o.status IN %s
        ),
        products AS (
            SELECT 'product' AS kind, sku AS key, max(product_name) AS name, sum(quantity) AS quantity,
                   sum(amount) AS revenue, count(DISTINCT order_id) AS orders,
                   row_number() OVER (ORDER BY sum(amount) DESC, sku) AS rank
              FROM items GROUP BY sku
        ),
        categories AS (
            SELECT 'category' AS kind, category AS key, category AS name, sum(quantity) AS quantity,
                   sum(amount) AS revenue, count(DISTINCT order_id) AS orders,
                   row_number() OVER (ORDER BY sum(amount) DESC, category NULLS LAST) AS rank
              FROM items GROUP BY category
        )
        SELECT * FROM products WHERE rank <= $4
        UNION ALL
        SELECT * FROM categories WHERE rank <= $4
        ORDER BY kind DESC, rank""".formatted(PAID))
        .execute(Tuple.of(tenantId, from, to, limit));
  }
}
