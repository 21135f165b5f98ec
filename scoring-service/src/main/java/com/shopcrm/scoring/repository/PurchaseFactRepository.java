package com.shopcrm.scoring.repository;

import com.shopcrm.scoring.model.Purchase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The purchase-fact read model: one row per order with its latest known state, and the consumed
 * event ids. Plain SQL on the reactive client (a read model written and read in bulk; nothing
 * here is an aggregate worth mapping). Purchases are read as purchase days: a customer's counted
 * orders (not cancelled, not fully refunded) summed per calendar day, net of partial refunds.
 */
@ApplicationScoped
public class PurchaseFactRepository {

  /** One order's state from an event. {@code versionAt} orders the states (older ones never overwrite). */
  public record Fact(String orderNo, Long orderId, Long customerId, String customerExternalId, OffsetDateTime orderedAt,
      LocalDate purchaseDay, BigDecimal value, BigDecimal refunded, String status, Long eventSeq,
      OffsetDateTime versionAt) {
  }

  /** One SKU of an order (lines of the same SKU summed). */
  public record Item(String sku, String productName, String category, int quantity) {
  }

  /** What an upsert did: whether the state was applied, and the order's customer before it (null if none). */
  public record Applied(boolean applied, Long previousCustomerId) {
  }

  /** Claims an event id; false when the tenant has processed it already. */
  public Uni<Boolean> claimEvent(SqlClient tx, String tenantId, String eventId, String orderNo, OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO processed_event (tenant_id, event_id, order_no, processed_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT DO NOTHING""")
        .execute(Tuple.of(tenantId, eventId, orderNo, now))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Inserts or updates the order's fact unless a newer state is stored already. */
  public Uni<Applied> upsert(SqlClient tx, String tenantId, Fact f, OffsetDateTime now) {
    return tx.preparedQuery("""
            WITH old AS (
              SELECT customer_id FROM purchase_fact WHERE tenant_id = $1 AND order_no = $2 FOR UPDATE
            ), up AS (
              INSERT INTO purchase_fact (tenant_id, order_no, order_id, customer_id, customer_external_id, ordered_at,
                  purchase_day, value, refunded, status, event_seq, version_at, updated_at)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::numeric, $9::text::numeric, $10, $11, $12, $13)
              ON CONFLICT (tenant_id, order_no) DO UPDATE SET
                  order_id = coalesce(EXCLUDED.order_id, purchase_fact.order_id),
                  customer_id = EXCLUDED.customer_id,
                  customer_external_id = EXCLUDED.customer_external_id,
                  ordered_at = EXCLUDED.ordered_at, purchase_day = EXCLUDED.purchase_day, value = EXCLUDED.value,
                  refunded = EXCLUDED.refunded, status = EXCLUDED.status,
                  event_seq = coalesce(EXCLUDED.event_seq, purchase_fact.event_seq),
                  version_at = EXCLUDED.version_at, updated_at = EXCLUDED.updated_at
                WHERE purchase_fact.version_at <= EXCLUDED.version_at
              RETURNING 1
            )
            SELECT (SELECT customer_id FROM old) AS previous, (SELECT count(*) FROM up) AS applied""")
        .execute(Tuple.from(Arrays.asList(tenantId, f.orderNo(), f.orderId(), f.customerId(), f.customerExternalId(),
            f.orderedAt(), f.purchaseDay(), f.value().toPlainString(), f.refunded().toPlainString(), f.status(),
            f.eventSeq(), f.versionAt(), now)))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new Applied(r.getLong("applied") > 0, r.getLong("previous"));
        });
  }

  /**
   * Replaces the order's items with those of its newest state (called when that state was
   * applied) and records the product names and categories.
   */
  public Uni<Void> replaceItems(SqlClient tx, String tenantId, String orderNo, List<Item> items,
      OffsetDateTime versionAt) {
    return tx.preparedQuery("DELETE FROM purchase_item WHERE tenant_id = $1 AND order_no = $2")
        .execute(Tuple.of(tenantId, orderNo))
        .flatMap(deleted -> insertItems(tx, tenantId, orderNo, items, versionAt, false));
  }

  /**
   * Backfill: an event seen before (a resync replays them all) fills the order's items if none are
   * stored yet and the event carries the stored state (facts that predate the items table).
   */
  public Uni<Void> backfillItems(SqlClient tx, String tenantId, String orderNo, List<Item> items,
      OffsetDateTime versionAt) {
    return insertItems(tx, tenantId, orderNo, items, versionAt, true);
  }

  private Uni<Void> insertItems(SqlClient tx, String tenantId, String orderNo, List<Item> items,
      OffsetDateTime versionAt, boolean onlyIfMissing) {
    if (items.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    String[] skus = items.stream().map(Item::sku).toArray(String[]::new);
    Integer[] quantities = items.stream().map(Item::quantity).toArray(Integer[]::new);
    String[] names = items.stream().map(Item::productName).toArray(String[]::new);
    String[] categories = items.stream().map(Item::category).toArray(String[]::new);
    String guard = onlyIfMissing ? """
         WHERE EXISTS (SELECT 1 FROM purchase_fact WHERE tenant_id = $1 AND order_no = $2 AND version_at = $5)
           AND NOT EXISTS (SELECT 1 FROM purchase_item WHERE tenant_id = $1 AND order_no = $2)""" : "";
    return tx.preparedQuery("""
            WITH ins AS (
              INSERT INTO purchase_item (tenant_id, order_no, sku, quantity)
              SELECT $1, $2, t.sku, t.quantity FROM unnest($3::text[], $4::int[]) AS t(sku, quantity)""" + guard + """

              RETURNING sku
            )
            INSERT INTO product (tenant_id, sku, product_name, category, seen_at)
            SELECT $1, t.sku, t.name, t.category, $5
              FROM unnest($3::text[], $6::text[], $7::text[]) AS t(sku, name, category)
             WHERE t.sku IN (SELECT sku FROM ins)
            ON CONFLICT (tenant_id, sku) DO UPDATE SET
                product_name = coalesce(EXCLUDED.product_name, product.product_name),
                category = coalesce(EXCLUDED.category, product.category), seen_at = EXCLUDED.seen_at
              WHERE product.seen_at <= EXCLUDED.seen_at""")
        .execute(Tuple.from(new Object[] {tenantId, orderNo, skus, quantities, versionAt, names, categories}))
        .replaceWithVoid();
  }

  /** The purchase days of the given customers (those without any counted purchase are absent). */
  public Uni<Map<Long, List<Purchase>>> daysOf(SqlClient client, String tenantId, Long[] customerIds) {
    return client.preparedQuery("""
            SELECT customer_id, purchase_day, sum(value - refunded)::float8 AS value
              FROM purchase_fact
             WHERE tenant_id = $1 AND customer_id = ANY($2) AND counted
             GROUP BY customer_id, purchase_day ORDER BY customer_id, purchase_day""")
        .execute(Tuple.of(tenantId, customerIds))
        .map(rows -> {
          Map<Long, List<Purchase>> out = new LinkedHashMap<>();
          for (Row r : rows) {
            out.computeIfAbsent(r.getLong("customer_id"), k -> new ArrayList<>())
                .add(new Purchase(r.getLocalDate("purchase_day"), r.getDouble("value")));
          }
          return out;
        });
  }
}
