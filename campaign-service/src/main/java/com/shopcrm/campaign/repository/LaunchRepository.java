package com.shopcrm.campaign.repository;

import com.shopcrm.campaign.model.CampaignResults.Suppressed;
import com.shopcrm.campaign.service.ArmAssignment;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The launch's writes, each ONE set-based statement over the whole audience (a million recipients
 * is three INSERT ... SELECT, never a statement per recipient): freeze the audience with arms and
 * suppressions, issue coupons, queue the messages.
 */
@ApplicationScoped
public class LaunchRepository {

  /** What the freeze needs besides the compiled segment rule. */
  public record Freeze(long campaignId, int controlPct, List<String> variantNames, int[] upperBounds,
      List<String> channels, int frequencyCap, OffsetDateTime capSince, boolean quietDelayed) {
  }

  /**
   * Freezes the audience into {@code campaign_recipient}: each matching profile with its arm
   * ({@link ArmAssignment}) and suppression: {@code consent} when no chosen channel is contactable
   * (consent flag false; null means contactable), {@code frequency_cap} when it already has
   * {@code cap} messages since {@code capSince}. Control members are filtered the same way, so the
   * comparison stays fair.
   */
  public Uni<Long> freeze(SqlClient tx, String tenantId, Freeze f, RuleCondition rule) {
    List<Object> args = new ArrayList<>(Arrays.asList(tenantId, f.campaignId(),
        ArmAssignment.controlBound(f.controlPct()), f.variantNames().toArray(String[]::new),
        Arrays.stream(f.upperBounds()).boxed().toArray(Integer[]::new), f.channels().toArray(String[]::new),
        f.frequencyCap(), f.capSince(), f.quietDelayed()));
    String where = rule.appendTo(args);
    String sql = """
        INSERT INTO campaign_recipient (tenant_id, campaign_id, customer_id, arm, suppressed_reason, quiet_delayed)
        SELECT $1, $2, a.customer_id, a.arm, a.reason,
               $9 AND a.reason IS NULL AND a.arm <> 'control'
          FROM (
            SELECT p.customer_id,
                   CASE WHEN b.bucket < $3 THEN 'control'
                        ELSE (SELECT v.name FROM unnest($4::text[], $5::int[]) AS v(name, upper)
                               WHERE b.bucket < v.upper ORDER BY v.upper LIMIT 1) END AS arm,
                   CASE WHEN NOT (('sms' = ANY($6::text[]) AND p.consent_sms IS NOT FALSE)
                               OR ('email' = ANY($6::text[]) AND p.consent_email IS NOT FALSE)
                               OR ('app' = ANY($6::text[]) AND p.consent_app IS NOT FALSE)) THEN 'consent'
                        WHEN coalesce(f.n, 0) >= $7 THEN 'frequency_cap' END AS reason
              FROM audience_profile p
              CROSS JOIN LATERAL (SELECT %s AS bucket) b
              LEFT JOIN (SELECT m.customer_id, count(*) AS n FROM campaign_message m
                          WHERE m.tenant_id = $1 AND m.scheduled_at > $8 AND m.status <> 'failed'
                          GROUP BY m.customer_id) f ON f.customer_id = p.customer_id
             WHERE p.tenant_id = $1 AND %s
          ) a""".formatted(ArmAssignment.BUCKET_SQL, where);
    return tx.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> (long) rows.rowCount());
  }

  /** One unique, unguessable code per messaged recipient (campaign + customer + random part). */
  public Uni<Long> issueCoupons(SqlClient tx, String tenantId, long campaignId, BigDecimal faceValue,
      BigDecimal minSpend) {
    return tx.preparedQuery("""
            INSERT INTO campaign_coupon (tenant_id, code, campaign_id, customer_id, face_value, min_spend)
            SELECT $1, 'C' || $2::bigint::text || '-' || upper(to_hex(r.customer_id)) || '-'
                       || upper(substr(md5(random()::text || r.customer_id::text), 1, 6)),
                   $2, r.customer_id, $3, $4
              FROM campaign_recipient r
             WHERE r.tenant_id = $1 AND r.campaign_id = $2 AND r.arm <> 'control' AND r.suppressed_reason IS NULL""")
        .execute(Tuple.of(tenantId, campaignId, faceValue, minSpend)).map(rows -> (long) rows.rowCount());
  }

  /**
   * Queues one message per kept variant recipient and contactable chosen channel, rendered:
   * {@code {name}} and {@code {coupon}} replaced, SMS ending with the opt-out suffix.
   *
   * @param templates rows of (arm, channel, subject, body)
   */
  public Uni<Long> queueMessages(SqlClient tx, String tenantId, long campaignId, List<String[]> templates,
      OffsetDateTime sendAt) {
    return tx.preparedQuery("""
            INSERT INTO campaign_message (tenant_id, campaign_id, customer_id, arm, channel, subject, body,
                                          coupon_code, scheduled_at)
            SELECT $1, $2, r.customer_id, r.arm, t.channel,
                   replace(replace(t.subject, '{name}', coalesce(p.name, '')), '{coupon}', coalesce(c.code, '')),
                   replace(replace(t.body, '{name}', coalesce(p.name, '')), '{coupon}', coalesce(c.code, ''))
                       || CASE WHEN t.channel = 'sms' THEN ' 回T退订' ELSE '' END,
                   c.code, $7
              FROM campaign_recipient r
              JOIN audience_profile p ON p.tenant_id = r.tenant_id AND p.customer_id = r.customer_id
              JOIN unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS t(arm, channel, subject, body)
                ON t.arm = r.arm
              LEFT JOIN campaign_coupon c
                ON c.tenant_id = r.tenant_id AND c.campaign_id = r.campaign_id AND c.customer_id = r.customer_id
             WHERE r.tenant_id = $1 AND r.campaign_id = $2 AND r.suppressed_reason IS NULL AND r.arm <> 'control'
               AND (CASE t.channel WHEN 'sms' THEN p.consent_sms WHEN 'email' THEN p.consent_email
                                   ELSE p.consent_app END) IS NOT FALSE
             ORDER BY r.customer_id, t.channel""")
        .execute(Tuple.from(new Object[] {tenantId, campaignId,
            templates.stream().map(t -> t[0]).toArray(String[]::new),
            templates.stream().map(t -> t[1]).toArray(String[]::new),
            templates.stream().map(t -> t[2]).toArray(String[]::new),
            templates.stream().map(t -> t[3]).toArray(String[]::new), sendAt}))
        .map(rows -> (long) rows.rowCount());
  }

  /** The audience size and suppressions of a frozen campaign. */
  public Uni<long[]> audience(SqlClient client, String tenantId, long campaignId) {
    return client.preparedQuery("""
            SELECT count(*) AS audience,
                   count(*) FILTER (WHERE suppressed_reason = 'consent') AS consent,
                   count(*) FILTER (WHERE suppressed_reason = 'frequency_cap') AS capped,
                   count(*) FILTER (WHERE quiet_delayed) AS quiet
              FROM campaign_recipient WHERE tenant_id = $1 AND campaign_id = $2""")
        .execute(Tuple.of(tenantId, campaignId))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new long[] {row.getLong("audience"), row.getLong("consent"), row.getLong("capped"),
              row.getLong("quiet")};
        });
  }

  public static Suppressed suppressed(long[] audience) {
    return new Suppressed(audience[1], audience[2], audience[3]);
  }
}
