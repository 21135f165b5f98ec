package com.shopcrm.campaign.privacy;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/**
 * Everything campaign-service holds on one customer, and the erasure of what is personal in it
 * (docs/PRIVACY.md). The audience read model goes through the existing removal path
 * ({@code AudienceRepository#deleteProfiles}, the one a {@code deleted: true} sync item takes); this
 * class clears the texts sent to the customer. Plain SQL, every statement scoped to the tenant.
 */
@ApplicationScoped
public class CampaignPrivacyRepository {

  /** The text written over an erased message body (the column is NOT NULL). */
  static final String ERASED = "[erased]";

  /** {@code {"audience_profile": ..., "campaign_messages": [...], ...}}: every row naming the customers. */
  public Uni<String> export(SqlClient client, String tenantId, Long[] customerIds) {
    return client.preparedQuery("""
            SELECT jsonb_build_object(
              'audience_profiles', (SELECT coalesce(jsonb_agg(to_jsonb(p) - 'tenant_id' ORDER BY p.customer_id), '[]')
                  FROM audience_profile p WHERE p.tenant_id = $1 AND p.customer_id = ANY($2::bigint[])),
              'audience_events', (SELECT coalesce(jsonb_agg(to_jsonb(e) - 'tenant_id' ORDER BY e.occurred_at), '[]')
                  FROM audience_event e WHERE e.tenant_id = $1 AND e.customer_id = ANY($2::bigint[])),
              'segments', (SELECT coalesce(jsonb_agg(jsonb_build_object('segment_id', s.id, 'name', s.name,
                                 'customer_id', m.customer_id) ORDER BY s.id), '[]')
                  FROM segment_member m JOIN segment s ON s.tenant_id = m.tenant_id AND s.id = m.segment_id
                 WHERE m.tenant_id = $1 AND m.customer_id = ANY($2::bigint[])),
              'campaign_recipients', (SELECT coalesce(jsonb_agg((to_jsonb(r) - 'tenant_id')
                                 || jsonb_build_object('campaign_name', c.name) ORDER BY r.campaign_id), '[]')
                  FROM campaign_recipient r
                  LEFT JOIN campaign c ON c.tenant_id = r.tenant_id AND c.id = r.campaign_id
                 WHERE r.tenant_id = $1 AND r.customer_id = ANY($2::bigint[])),
              'campaign_messages', (SELECT coalesce(jsonb_agg(to_jsonb(m) - 'tenant_id' ORDER BY m.id), '[]')
                  FROM campaign_message m WHERE m.tenant_id = $1 AND m.customer_id = ANY($2::bigint[])),
              'deliveries', (SELECT coalesce(jsonb_agg(to_jsonb(d) - 'tenant_id' ORDER BY d.message_id), '[]')
                  FROM sink_message d WHERE d.tenant_id = $1 AND d.customer_id = ANY($2::bigint[])),
              'coupons', (SELECT coalesce(jsonb_agg(to_jsonb(k) - 'tenant_id' ORDER BY k.code), '[]')
                  FROM campaign_coupon k WHERE k.tenant_id = $1 AND k.customer_id = ANY($2::bigint[])),
              'conversions', (SELECT coalesce(jsonb_agg(to_jsonb(v) - 'tenant_id' ORDER BY v.order_no), '[]')
                  FROM campaign_conversion v WHERE v.tenant_id = $1 AND v.customer_id = ANY($2::bigint[])),
              'trigger_firings', (SELECT coalesce(jsonb_agg(to_jsonb(f) - 'tenant_id' ORDER BY f.fired_at), '[]')
                  FROM trigger_firing f WHERE f.tenant_id = $1 AND f.customer_id = ANY($2::bigint[])),
              'trigger_states', (SELECT coalesce(jsonb_agg(to_jsonb(t) - 'tenant_id' ORDER BY t.trigger_id), '[]')
                  FROM trigger_state t WHERE t.tenant_id = $1 AND t.customer_id = ANY($2::bigint[]))
            )::text AS export""")
        .execute(Tuple.of(tenantId, customerIds))
        .map(rows -> rows.iterator().next().getString("export"));
  }

  /** What the message part of an erase changed. */
  public record Cleared(int messages, int deliveries, int cancelled) {
  }

  /**
   * In the caller's transaction: the subjects and bodies of every message to the customers (and of
   * their local deliveries) are cleared, and messages not sent yet (queued, or pending their products) are failed with
   * {@code customer erased} so that nothing more is sent. Recipient rows, coupons, conversions and
   * firings stay under the bare customer id (nothing else names the person once customer-service has
   * erased the profile), so campaign reports do not change. A second call changes nothing.
   */
  public Uni<Cleared> clearMessages(SqlClient tx, String tenantId, Long[] customerIds, OffsetDateTime now) {
    Tuple args = Tuple.of(tenantId, customerIds, ERASED);
    return tx.preparedQuery("""
            UPDATE campaign_message SET status = 'failed', error = 'customer erased'
             WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[]) AND status IN ('queued', 'pending')""")
        .execute(Tuple.of(tenantId, customerIds))
        .flatMap(cancelled -> tx.preparedQuery("""
                UPDATE campaign_message SET subject = NULL, body = $3
                 WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[]) AND (body <> $3 OR subject IS NOT NULL)""")
            .execute(args)
            .flatMap(messages -> tx.preparedQuery("""
                    UPDATE sink_message SET subject = NULL, body = $3
                     WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[]) AND (body <> $3 OR subject IS NOT NULL)""")
                .execute(args)
                .map(deliveries -> new Cleared(messages.rowCount(), deliveries.rowCount(), cancelled.rowCount()))));
  }
}
