package com.shopcrm.scoring.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** One recommended SKU; {@code reason}: bought_together or best_seller (picks: also same_category, new_arrival). */
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

  /** A product offered to {@link #picks}: its SKU and, for one not sold yet, its name and category. */
  public record Candidate(String sku, String name, String category) {
  }

  /**
   * For each customer, up to {@code limit} of the candidates, best first: by summed similarity to the
   * SKUs the customer bought (reason {@code bought_together}), then by the share of the customer's
   * purchases in the candidate's category ({@code same_category}), then in the given order
   * ({@code new_arrival}); never a SKU the customer bought. A candidate's category is the given one,
   * else the catalogue's. Customers without orders get the candidates in the given order. Returns
   * {@code customer_id → picks}, every asked customer present.
   */
  public Uni<Map<Long, List<Recommended>>> picks(SqlClient client, String tenantId, Long[] customerIds,
      List<Candidate> candidates, int limit) {
    return client.preparedQuery("""
            WITH cand AS (
              SELECT c.sku, c.name, coalesce(c.category, p.category) AS category, coalesce(c.name, p.product_name)
                     AS product_name, c.ord
                FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS c(sku, name, category, ord)
                LEFT JOIN product p ON p.tenant_id = $1 AND p.sku = c.sku
            ), cust AS (
              SELECT DISTINCT unnest($5::bigint[]) AS customer_id
            ), bought AS (
              SELECT DISTINCT f.customer_id, i.sku
                FROM purchase_fact f
                JOIN purchase_item i ON i.tenant_id = f.tenant_id AND i.order_no = f.order_no
               WHERE f.tenant_id = $1 AND f.customer_id = ANY($5::bigint[]) AND f.counted
            ), sim AS (
              SELECT b.customer_id, s.neighbour AS sku, sum(s.score) AS score
                FROM bought b
                JOIN item_similarity s ON s.tenant_id = $1 AND s.sku = b.sku AND s.neighbour = ANY($2::text[])
               GROUP BY b.customer_id, s.neighbour
            ), cat AS (
              SELECT b.customer_id, p.category, count(*)::float8 / sum(count(*)) OVER (PARTITION BY b.customer_id) AS share
                FROM bought b JOIN product p ON p.tenant_id = $1 AND p.sku = b.sku
               WHERE p.category IS NOT NULL
               GROUP BY b.customer_id, p.category
            ), ranked AS (
              SELECT u.customer_id, c.sku, c.product_name, c.category,
                     coalesce(sim.score, 0) AS sim, coalesce(cat.share, 0) AS share,
                     row_number() OVER (PARTITION BY u.customer_id
                                        ORDER BY coalesce(sim.score, 0) DESC, coalesce(cat.share, 0) DESC, c.ord) AS rn
                FROM cust u CROSS JOIN cand c
                LEFT JOIN sim ON sim.customer_id = u.customer_id AND sim.sku = c.sku
                LEFT JOIN cat ON cat.customer_id = u.customer_id AND cat.category = c.category
               WHERE NOT EXISTS (SELECT 1 FROM bought b WHERE b.customer_id = u.customer_id AND b.sku = c.sku)
            )
            SELECT customer_id, sku, product_name, category, sim + share AS score,
                   CASE WHEN sim > 0 THEN 'bought_together' WHEN share > 0 THEN 'same_category'
                        ELSE 'new_arrival' END AS reason
              FROM ranked WHERE rn <= $6 ORDER BY customer_id, rn""")
        .execute(Tuple.of(tenantId, candidates.stream().map(Candidate::sku).toArray(String[]::new),
            candidates.stream().map(Candidate::name).toArray(String[]::new),
            candidates.stream().map(Candidate::category).toArray(String[]::new), customerIds, limit))
        .map(rows -> {
          Map<Long, List<Recommended>> picks = new LinkedHashMap<>();
          for (Long id : customerIds) {
            picks.put(id, new ArrayList<>());
          }
          for (Row r : rows) {
            picks.get(r.getLong("customer_id")).add(new Recommended(r.getString("sku"), r.getString("product_name"),
                r.getString("category"), r.getDouble("score"), r.getString("reason")));
          }
          return picks;
        });
  }
}
