package com.shopcrm.order.privacy;

import com.shopcrm.common.privacy.PrivacyRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/**
 * Everything order-service holds on one customer, and its erasure (docs/PRIVACY.md). A customer's
 * orders are those resolved to one of its ids, and those still naming one of its platform identities
 * (buyers not resolved yet). Plain SQL, set-based, every statement scoped to the tenant.
 */
@ApplicationScoped
public class OrderPrivacyRepository {

  /** The order ids of the customer: $1 tenant, $2 ids, $3 platforms, $4 external ids. */
  private static final String MATCH = """
      SELECT o.id FROM orders o
       WHERE o.tenant_id = $1
         AND (o.customer_id = ANY($2::bigint[])
              OR (o.customer_platform, o.customer_external_id) IN
                 (SELECT p, e FROM unnest($3::text[], $4::text[]) AS k(p, e)))""";

  /** The keys an order-event payload carries about the buyer (OrderView.forEvent). */
  private static final String PAYLOAD_PII =
      "ARRAY['customer_external_id','customer_id','customer_name','customer_phone','customer_email','province','city']";

  /** {@code {"orders": [...]}}: every order in full with its items, refunds and reviews, oldest first. */
  public Uni<String> export(SqlClient client, String tenantId, PrivacyRequest who) {
    return client.preparedQuery("""
            WITH m AS (%s)
            SELECT jsonb_build_object('orders', coalesce(jsonb_agg(
                     (to_jsonb(o) - 'tenant_id' - 'content_hash') || jsonb_build_object(
                       'items', (SELECT coalesce(jsonb_agg(to_jsonb(i) - 'tenant_id' - 'order_id' ORDER BY i.line_no), '[]')
                                   FROM order_item i WHERE i.tenant_id = $1 AND i.order_id = o.id),
                       'refunds', (SELECT coalesce(jsonb_agg(to_jsonb(r) - 'tenant_id' ORDER BY r.id), '[]')
                                     FROM order_refund r WHERE r.tenant_id = $1 AND r.order_id = o.id),
                       'reviews', (SELECT coalesce(jsonb_agg(to_jsonb(v) - 'tenant_id' ORDER BY v.id), '[]')
                                     FROM order_review v WHERE v.tenant_id = $1 AND v.order_id = o.id))
                     ORDER BY o.ordered_at, o.id), '[]'))::text AS export
              FROM orders o JOIN m ON o.tenant_id = $1 AND o.id = m.id""".formatted(MATCH))
        .execute(Tuple.of(tenantId, who.ids(), who.platforms(), who.externalIds()))
        .map(rows -> rows.iterator().next().getString("export"));
  }

  /** What one erase changed. */
  public record Erased(int orders, int reviews, int refunds, int events) {
  }

  /**
   * Pseudonymises the customer's orders in the caller's transaction: amounts, dates, items and
   * statuses stay (accounting, sales analytics); the buyer's name, phone, e-mail, province, city,
   * platform id (nick) and customer id go, and the order becomes anonymous (it counts in sales
   * analytics, in no profile or score). Review texts and refund reasons are cleared, the buyer is
   * removed from the order events' payloads (replays and pending deliveries), and the stored
   * Idempotency-Key answers of those orders (which echo the buyer: by their Location, or a batch answer
   * naming the order number) are dropped. A second call
   * matches nothing: it changes nothing.
   */
  public Uni<Erased> erase(SqlClient tx, String tenantId, PrivacyRequest who, OffsetDateTime now) {
    return tx.preparedQuery("""
            UPDATE orders o SET customer_name = NULL, customer_phone = NULL, customer_email = NULL,
                   province = NULL, city = NULL, customer_external_id = NULL, customer_id = NULL,
                   customer_pending = false, customer_error = NULL, anonymous = true, updated_at = $5
             WHERE o.tenant_id = $1 AND o.id IN (%s)
            RETURNING o.id, o.order_no""".formatted(MATCH))
        .execute(Tuple.of(tenantId, who.ids(), who.platforms(), who.externalIds(), now))
        .flatMap(orders -> {
          Long[] ids = new Long[orders.rowCount()];
          String[] answers = new String[orders.rowCount() * 2];
          int i = 0;
          for (var row : orders) {
            answers[2 * i] = "/api/v1/orders/" + row.getLong("id");
            answers[2 * i + 1] = "%\"order_no\":\"" + likeEscaped(row.getString("order_no")) + "\"%";
            ids[i++] = row.getLong("id");
          }
          if (ids.length == 0) {
            return Uni.createFrom().item(new Erased(0, 0, 0, 0));
          }
          Tuple args = Tuple.of(tenantId, ids);
          return tx.preparedQuery("""
                  UPDATE order_review SET text = NULL
                   WHERE tenant_id = $1 AND order_id = ANY($2::bigint[]) AND text IS NOT NULL""")
              .execute(args)
              .flatMap(reviews -> tx.preparedQuery("""
                      UPDATE order_refund SET reason = 'erased'
                       WHERE tenant_id = $1 AND order_id = ANY($2::bigint[]) AND reason <> 'erased'""")
                  .execute(args)
                  .flatMap(refunds -> tx.preparedQuery("""
                          UPDATE order_event SET customer_id = NULL, customer_external_id = NULL,
                                 payload = payload - %s::text[]
                           WHERE tenant_id = $1 AND order_id = ANY($2::bigint[])
                          RETURNING seq""".formatted(PAYLOAD_PII))
                      .execute(args)
                      .flatMap(events -> tx.preparedQuery("""
                              UPDATE order_event_delivery d SET customer_key = 'erased'
                                FROM order_event e
                               WHERE e.tenant_id = $1 AND e.order_id = ANY($2::bigint[])
                                 AND d.tenant_id = e.tenant_id AND d.seq = e.seq""")
                          .execute(args)
                          .flatMap(ignored -> tx.preparedQuery("""
                                  DELETE FROM idempotency_key
                                   WHERE tenant_id = $1
                                     AND (location = ANY($2::text[]) OR response_body LIKE ANY($2::text[]))""")
                              .execute(Tuple.of(tenantId, answers)))
                          .map(ignored -> new Erased(ids.length, reviews.rowCount(), refunds.rowCount(),
                              events.rowCount())))));
        });
  }

  private static String likeEscaped(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
