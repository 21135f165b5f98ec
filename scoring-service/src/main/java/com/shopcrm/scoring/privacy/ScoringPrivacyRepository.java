package com.shopcrm.scoring.privacy;

import com.shopcrm.common.privacy.PrivacyRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Everything scoring-service holds on one customer (its scores and predictions, its purchase facts
 * with their items, its purchase summary, a pending score push), and its erasure (docs/PRIVACY.md).
 * Plain SQL, set-based, every statement scoped to the tenant.
 */
@ApplicationScoped
public class ScoringPrivacyRepository {

  /** The customer's purchase facts: $1 tenant, $2 ids, $3 external ids (buyers not resolved to an id). */
  private static String facts(String f) {
    return """
        %1$s.tenant_id = $1 AND (%1$s.customer_id = ANY($2::bigint[])
                                 OR (%1$s.customer_id IS NULL AND %1$s.customer_external_id = ANY($3::text[])))"""
        .formatted(f);
  }

  public Uni<String> export(SqlClient client, String tenantId, PrivacyRequest who) {
    return client.preparedQuery("""
            SELECT jsonb_build_object(
              'scores', (SELECT coalesce(jsonb_agg(to_jsonb(s) - 'tenant_id' ORDER BY s.customer_id), '[]')
                           FROM customer_score s WHERE s.tenant_id = $1 AND s.customer_id = ANY($2::bigint[])),
              'purchase_summaries', (SELECT coalesce(jsonb_agg(to_jsonb(p) - 'tenant_id' ORDER BY p.customer_id), '[]')
                           FROM customer_purchase_summary p
                          WHERE p.tenant_id = $1 AND p.customer_id = ANY($2::bigint[])),
              'purchase_facts', (SELECT coalesce(jsonb_agg((to_jsonb(f) - 'tenant_id') || jsonb_build_object('items',
                               (SELECT coalesce(jsonb_agg(jsonb_build_object('sku', i.sku, 'quantity', i.quantity)
                                                          ORDER BY i.sku), '[]')
                                  FROM purchase_item i WHERE i.tenant_id = $1 AND i.order_no = f.order_no))
                             ORDER BY f.ordered_at, f.order_no), '[]')
                           FROM purchase_fact f WHERE %s),
              'pending_score_push', (SELECT count(*) FROM score_push_outbox o
                                      WHERE o.tenant_id = $1 AND o.customer_id = ANY($2::bigint[])) > 0
            )::text AS export""".formatted(facts("f")))
        .execute(Tuple.of(tenantId, who.ids(), who.externalIds()))
        .map(rows -> rows.iterator().next().getString("export"));
  }

  /** What one erase changed. */
  public record Erased(int scores, int purchaseFacts, int pendingPushes) {
  }

  /**
   * In the caller's transaction: deletes the customer's scores, predictions and pending score push,
   * and detaches its purchase facts (customer id and platform id cleared): they stay as anonymous
   * orders in the tenant's KPIs, like the orders they mirror, and leave every per-customer figure
   * (the summary trigger of V4 drops the customer's summary). A second call changes nothing.
   */
  public Uni<Erased> erase(SqlClient tx, String tenantId, PrivacyRequest who) {
    Tuple args = Tuple.of(tenantId, who.ids(), who.externalIds());
    return tx.preparedQuery("DELETE FROM customer_score WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[])")
        .execute(Tuple.of(tenantId, who.ids()))
        .flatMap(scores -> tx.preparedQuery(
                "UPDATE purchase_fact f SET customer_id = NULL, customer_external_id = NULL WHERE " + facts("f")
                    + " AND (f.customer_id IS NOT NULL OR f.customer_external_id IS NOT NULL)")
            .execute(args)
            .flatMap(facts -> tx.preparedQuery("""
                    DELETE FROM customer_purchase_summary WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[])""")
                .execute(Tuple.of(tenantId, who.ids()))
                .flatMap(ignored -> tx.preparedQuery("""
                        DELETE FROM score_push_outbox WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[])""")
                    .execute(Tuple.of(tenantId, who.ids())))
                .map(pushes -> new Erased(scores.rowCount(), facts.rowCount(), pushes.rowCount()))));
  }
}
