package com.shopcrm.scoring.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Item-to-item recommendations, computed set-based in PostgreSQL (the customer × SKU matrix of a
 * large tenant never enters the JVM): cosine similarity of two SKUs' buyer sets,
 * co_buyers / sqrt(buyers_a · buyers_b), kept for pairs with at least {@code minSupport} common
 * buyers, top {@code neighbours} per SKU. Best-sellers (share of counted orders containing the
 * SKU) come from the same refresh.
 */
@ApplicationScoped
public class RecommendationRepository {

  /** What a refresh stored. */
  public record Refreshed(int skus, int pairs, OffsetDateTime refreshedAt) {
  }

  /** One recommended SKU; {@code reason}: bought_together or best_seller. */
  public record Recommended(String sku, String productName, String category, double score, String reason) {
  }

  /** Recomputes the tenant's similarities and best-sellers; call inside a transaction. */
  public Uni<Refreshed> refresh(SqlClient tx, String tenantId, int minSupport, int neighbours, int maxBasket,
      OffsetDateTime now) {
    return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('recommendations:' || $1))")
        .execute(Tuple.of(tenantId))
        .flatMap(locked -> tx.preparedQuery("DELETE FROM item_similarity WHERE tenant_id = $1").execute(Tuple.of(tenantId)))
        .flatMap(deleted -> tx.preparedQuery("DELETE FROM item_popularity WHERE tenant_id = $1").execute(Tuple.of(tenantId)))
        // customers with more than maxBasket distinct SKUs (resellers, test accounts) are left out of
        // the pairs: their baskets would add maxBasket² pairs each and say little about taste
        .flatMap(deleted -> tx.preparedQuery("""
                WITH bought AS (
                  SELECT DISTINCT f.customer_id, i.sku
                    FROM purchase_item i
                    JOIN purchase_fact f ON f.tenant_id = i.tenant_id AND f.order_no = i.order_no
                   WHERE i.tenant_id = $1 AND f.counted AND f.customer_id IS NOT NULL
                ), basket AS (
                  SELECT customer_id FROM bought GROUP BY customer_id HAVING count(*) BETWEEN 2 AND $4
                ), cs AS (
                  SELECT b.customer_id, b.sku FROM bought b JOIN basket USING (customer_id)
                ), buyers AS (
                  SELECT sku, count(*) AS n FROM bought GROUP BY sku
                ), co AS (
                  SELECT a.sku, b.sku AS neighbour, count(*) AS co
                    FROM cs a JOIN cs b ON a.customer_id = b.customer_id AND a.sku <> b.sku
                   GROUP BY a.sku, b.sku HAVING count(*) >= $2
                ), sim AS (
                  SELECT co.sku, co.neighbour, co.co, co.co / sqrt(na.n::float8 * nb.n) AS score
                    FROM co JOIN buyers na ON na.sku = co.sku JOIN buyers nb ON nb.sku = co.neighbour
                ), ranked AS (
                  SELECT sim.*, row_number() OVER (PARTITION BY sku ORDER BY score DESC, neighbour) AS rank FROM sim
                )
                INSERT INTO item_similarity (tenant_id, sku, neighbour, score, co_buyers)
                SELECT $1, sku, neighbour, score, co FROM ranked WHERE rank <= $3""")
            .execute(Tuple.of(tenantId, minSupport, neighbours, maxBasket)))
        .flatMap(pairs -> tx.preparedQuery("""
                WITH orders AS (
                  SELECT i.sku, count(*) AS n
                    FROM purchase_item i
                    JOIN purchase_fact f ON f.tenant_id = i.tenant_id AND f.order_no = i.order_no
                   WHERE i.tenant_id = $1 AND f.counted
                   GROUP BY i.sku
                ), total AS (
                  SELECT count(*)::float8 AS n FROM purchase_fact WHERE tenant_id = $1 AND counted
                )
                INSERT INTO item_popularity (tenant_id, sku, orders, share)
                SELECT $1, o.sku, o.n, o.n / greatest(t.n, 1) FROM orders o, total t""")
            .execute(Tuple.of(tenantId))
            .flatMap(skus -> tx.preparedQuery("""
                    INSERT INTO recommendation_refresh (tenant_id, skus, pairs, refreshed_at) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (tenant_id) DO UPDATE SET skus = EXCLUDED.skus, pairs = EXCLUDED.pairs,
                        refreshed_at = EXCLUDED.refreshed_at""")
                .execute(Tuple.of(tenantId, skus.rowCount(), pairs.rowCount(), now))
                .map(done -> new Refreshed(skus.rowCount(), pairs.rowCount(), now))));
  }

  /** Whether the tenant has any order of the customer (in any state). */
  public Uni<Boolean> knows(SqlClient client, String tenantId, long customerId) {
    return client.preparedQuery("""
            SELECT EXISTS (SELECT 1 FROM purchase_fact WHERE tenant_id = $1 AND customer_id = $2) AS known""")
        .execute(Tuple.of(tenantId, customerId))
        .map(rows -> rows.iterator().next().getBoolean("known"));
  }

  /**
   * The customer's recommendations: SKUs ranked by summed similarity to the SKUs the customer
   * bought (counted orders), then best-sellers to fill up to {@code limit}; never a SKU the
   * customer bought.
   */
  public Uni<List<Recommended>> forCustomer(SqlClient client, String tenantId, long customerId, int limit) {
    return client.preparedQuery("""
            WITH bought AS (
              SELECT DISTINCT i.sku
                FROM purchase_fact f
                JOIN purchase_item i ON i.tenant_id = f.tenant_id AND i.order_no = f.order_no
               WHERE f.tenant_id = $1 AND f.customer_id = $2 AND f.counted
            ), related AS (
              SELECT s.neighbour AS sku, sum(s.score) AS score
                FROM item_similarity s
               WHERE s.tenant_id = $1 AND s.sku IN (SELECT sku FROM bought)
                 AND s.neighbour NOT IN (SELECT sku FROM bought)
               GROUP BY s.neighbour
               ORDER BY score DESC, sku LIMIT $3
            ), popular AS (
              SELECT p.sku, p.share AS score
                FROM item_popularity p
               WHERE p.tenant_id = $1 AND p.sku NOT IN (SELECT sku FROM bought)
                 AND p.sku NOT IN (SELECT sku FROM related)
               ORDER BY p.orders DESC, p.sku LIMIT $3
            ), ranked AS (
              SELECT sku, score, 'bought_together' AS reason, 0 AS grp FROM related
              UNION ALL
              SELECT sku, score, 'best_seller', 1 FROM popular
            )
            SELECT r.sku, r.score, r.reason, p.product_name, p.category
              FROM ranked r LEFT JOIN product p ON p.tenant_id = $1 AND p.sku = r.sku
             ORDER BY r.grp, r.score DESC, r.sku LIMIT $3""")
        .execute(Tuple.of(tenantId, customerId, limit))
        .map(rows -> {
          List<Recommended> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Recommended(r.getString("sku"), r.getString("product_name"), r.getString("category"),
                r.getDouble("score"), r.getString("reason")));
          }
          return out;
        });
  }
}
