package com.shopcrm.campaign.repository;

import com.shopcrm.campaign.model.CampaignResults.Suppressed;
import com.shopcrm.campaign.service.ArmAssignment;
import com.shopcrm.campaign.service.CampaignRules;
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
 * The launch's writes: ONE statement over the whole audience (a million recipients is one pass,
 * never a statement per recipient and never a join back to rows written in the same transaction,
 * whose statistics PostgreSQL does not know yet). The audience is read once into a materialised
 * CTE with its arm and suppression; the recipients, the coupons and the messages are written from
 * it by data-modifying CTEs.
 */
@ApplicationScoped
public class LaunchRepository {

  /**
   * What the launch needs besides the compiled segment rule.
   *
   * @param armSeed the campaign id the arms are drawn from: the campaign's own, or for a run of a
   *     recurring campaign its parent's, so a customer keeps its arm from run to run
   * @param templates rows of (arm, channel, subject, body), one per variant and chosen channel
   * @param faceValue the coupon's face value, or {@code null} when the offer issues no coupon
   * @param channelCosts cost of one message on sms, email, app (for the budget and the reserved spend)
   * @param budget what the launch may still spend, or {@code null} for no limit
   * @param earlierRunsOf a recurring campaign whose earlier runs' customers are left out, or {@code null}
   * @param pending messages wait in {@code pending} for their products ({@code new_product} offer)
   */
  public record Plan(long campaignId, long armSeed, int controlPct, List<String> variantNames, int[] upperBounds,
      List<String> channels, int frequencyCap, OffsetDateTime capSince, boolean quietDelayed,
      List<String[]> templates, BigDecimal faceValue, BigDecimal minSpend, OffsetDateTime sendAt,
      BigDecimal[] channelCosts, BigDecimal budget, Long earlierRunsOf, boolean pending) {
  }

  /** What the launch wrote: the audience with its suppressions, coupons, messages and reserved spend. */
  public record Result(long audience, long consent, long capped, long quiet, long overBudget, long coupons,
      long messages, BigDecimal committed) {

    public Suppressed suppressed() {
      return new Suppressed(consent, capped, quiet, overBudget);
    }
  }

  /**
   * Freezes the audience, issues coupons and queues the messages, in one statement:
   *
   * <ul>
   *   <li>{@code a0}: each matching profile (for a run with {@code new_members_only}, not a
   *       customer of an earlier run) with its arm ({@link ArmAssignment}: the md5 bucket is
   *       computed once per row; {@code width_bucket} over the control bound and the variants'
   *       upper bounds picks {@code control} or the variant) and suppression: {@code consent}
   *       when no chosen channel is contactable (consent flag false; null means contactable),
   *       {@code frequency_cap} when it already has {@code cap} messages (queued or sent) since
   *       {@code capSince}; control members are filtered the same way, so the comparison stays fair;</li>
   *   <li>{@code c}: with its worst-case cost (its messages at the channels' costs + the coupon's face
   *       value; 0 for the control and the suppressed);</li>
   *   <li>{@code a}: with a budget, members in a random order independent of the arms are kept while
   *       the running cost stays within it and the rest (control members too, so the arms stay
   *       comparable) are suppressed as {@code budget};</li>
   *   <li>{@code campaign_recipient} from {@code a};</li>
   *   <li>{@code kept}: the messaged variant recipients, each with its coupon code (one unique,
   *       unguessable code: campaign + customer + random part) when the offer is a coupon;</li>
   *   <li>{@code campaign_coupon} and {@code campaign_message} from {@code kept}: one message per
   *       contactable chosen channel, {@code {name}} and {@code {coupon}} replaced, SMS ending with
   *       the opt-out suffix.</li>
   * </ul>
   *
   * The counts come from {@code a} and {@code kept} (the data-modifying CTEs run to completion
   * unread; returning a row per write would cost a second store of 2.3 million rows): every
   * variant has a template for every chosen channel, so a kept recipient gets one message per
   * contactable chosen channel.
   *
   * The audience is read in customer order, so the index entries are appended, not scattered.
   */
  public Uni<Result> launch(SqlClient tx, String tenantId, Plan plan, RuleCondition rule) {
    List<String> arms = new ArrayList<>(List.of(CampaignRules.CONTROL));
    arms.addAll(plan.variantNames());
    // lower bounds of the variants: a bucket below the first is the control, then each variant up to the next
    Integer[] thresholds = new Integer[plan.upperBounds().length];
    thresholds[0] = ArmAssignment.controlBound(plan.controlPct());
    for (int i = 1; i < thresholds.length; i++) {
      thresholds[i] = plan.upperBounds()[i - 1];
    }
    List<String[]> t = plan.templates();
    BigDecimal[] costs = plan.channelCosts();
    List<Object> args = new ArrayList<>(Arrays.asList(tenantId, plan.campaignId(), arms.toArray(String[]::new),
        thresholds, plan.channels().contains("sms"), plan.channels().contains("email"), plan.channels().contains("app"),
        plan.frequencyCap(), plan.capSince(), plan.quietDelayed(), plan.faceValue() != null,
        plan.faceValue() == null ? BigDecimal.ZERO : plan.faceValue(), plan.minSpend(),
        t.stream().map(r -> r[0]).toArray(String[]::new), t.stream().map(r -> r[1]).toArray(String[]::new),
        t.stream().map(r -> r[2]).toArray(String[]::new), t.stream().map(r -> r[3]).toArray(String[]::new),
        plan.sendAt(), costs[0], costs[1], costs[2], plan.armSeed(), plan.pending() ? "pending" : "queued"));
    // optional parameters only when used (an unreferenced parameter has no type)
    String earlierRuns = "";
    if (plan.earlierRunsOf() != null) {
      args.add(plan.earlierRunsOf());
      earlierRuns = """
           AND NOT EXISTS (SELECT 1 FROM campaign_recipient e JOIN campaign ec
                              ON ec.tenant_id = e.tenant_id AND ec.id = e.campaign_id
                            WHERE e.tenant_id = $1 AND e.customer_id = p.customer_id
                              AND ec.parent_id = $%d AND e.suppressed_reason IS NULL)""".formatted(args.size());
    }
    String budgeted = "SELECT * FROM c ORDER BY customer_id";
    if (plan.budget() != null) {
      args.add(plan.budget());
      budgeted = """
          SELECT customer_id, name, consent_sms, consent_email, consent_app, arm,
                 CASE WHEN reason IS NULL
                           AND sum(cost) OVER (ORDER BY md5('budget:' || $22::bigint::text || ':' || customer_id::text),
                                                        customer_id) > $%d::numeric THEN 'budget'
                      ELSE reason END AS reason,
                 cost
            FROM c ORDER BY customer_id""".formatted(args.size());
    }
    String where = rule.appendTo(args);
    String sql = """
        WITH a0 AS (
            SELECT p.customer_id, p.name, p.consent_sms, p.consent_email, p.consent_app,
                   ($3::text[])[width_bucket(%s::int, $4::int[]) + 1] AS arm,
                   CASE WHEN NOT (($5 AND p.consent_sms IS NOT FALSE) OR ($6 AND p.consent_email IS NOT FALSE)
                                  OR ($7 AND p.consent_app IS NOT FALSE)) THEN 'consent'
                        WHEN coalesce(f.n, 0) >= $8 THEN 'frequency_cap' END AS reason
              FROM audience_profile p
              LEFT JOIN (SELECT m.customer_id, count(*) AS n FROM campaign_message m
                          WHERE m.tenant_id = $1 AND m.scheduled_at > $9 AND m.status <> 'failed'
                          GROUP BY m.customer_id) f ON f.customer_id = p.customer_id
             WHERE p.tenant_id = $1 AND (%s)%s),
        c AS (
            SELECT a0.*, CASE WHEN reason IS NULL AND arm <> 'control'
                              THEN ($5 AND consent_sms IS NOT FALSE)::int * $19::numeric
                                   + ($6 AND consent_email IS NOT FALSE)::int * $20::numeric
                                   + ($7 AND consent_app IS NOT FALSE)::int * $21::numeric
                                   + CASE WHEN $11 THEN $12::numeric ELSE 0 END
                              ELSE 0 END AS cost
              FROM a0),
        a AS MATERIALIZED (%s),
        frozen AS (
            INSERT INTO campaign_recipient (tenant_id, campaign_id, customer_id, arm, suppressed_reason, quiet_delayed)
            SELECT $1, $2, customer_id, arm, reason, $10 AND reason IS NULL AND arm <> 'control' FROM a),
        kept AS MATERIALIZED (
            SELECT customer_id, name, consent_sms, consent_email, consent_app, arm,
                   CASE WHEN $11 THEN 'C' || $2::bigint::text || '-' || upper(to_hex(customer_id)) || '-'
                                      || upper(substr(md5(random()::text || customer_id::text), 1, 6)) END AS code
              FROM a WHERE reason IS NULL AND arm <> 'control'),
        coupons AS (
            INSERT INTO campaign_coupon (tenant_id, code, campaign_id, customer_id, face_value, min_spend)
            SELECT $1, code, $2, customer_id, $12, $13 FROM kept WHERE $11),
        messages AS (
            INSERT INTO campaign_message (tenant_id, campaign_id, customer_id, arm, channel, subject, body,
                                          coupon_code, scheduled_at, status)
            SELECT $1, $2, k.customer_id, k.arm, t.channel, %s, %s, k.code, $18, $23
              FROM kept k
              JOIN unnest($14::text[], $15::text[], $16::text[], $17::text[]) AS t(arm, channel, subject, body)
                ON t.arm = k.arm
             WHERE %s)
        SELECT count(*) AS audience,
               count(*) FILTER (WHERE reason = 'consent') AS consent,
               count(*) FILTER (WHERE reason = 'frequency_cap') AS capped,
               count(*) FILTER (WHERE reason = 'budget') AS over_budget,
               count(*) FILTER (WHERE $10 AND reason IS NULL AND arm <> 'control') AS quiet,
               coalesce(sum(cost) FILTER (WHERE reason IS NULL), 0) AS committed,
               (SELECT count(*) FILTER (WHERE $11) FROM kept) AS coupons,
               (SELECT coalesce(sum(($5 AND consent_sms IS NOT FALSE)::int + ($6 AND consent_email IS NOT FALSE)::int
                                    + ($7 AND consent_app IS NOT FALSE)::int), 0) FROM kept) AS messages
          FROM a""".formatted(ArmAssignment.bucketSql("$22"), where, earlierRuns, budgeted,
        ContactRules.render("t.subject", "k", "k.code"),
        ContactRules.renderBody("t.body", "t.channel", "k", "k.code"), ContactRules.contactable("k", "t.channel"));
    return tx.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> {
      Row r = rows.iterator().next();
      return new Result(r.getLong("audience"), r.getLong("consent"), r.getLong("capped"), r.getLong("quiet"),
          r.getLong("over_budget"), r.getLong("coupons"), r.getLong("messages"), r.getBigDecimal("committed"));
    });
  }

  /**
   * How many profiles match, counting at most {@code limit} (the scan stops there): decides
   * whether the launch runs inside the request or in the background.
   */
  public Uni<Long> audienceUpTo(SqlClient client, String tenantId, RuleCondition rule, long limit) {
    List<Object> args = new ArrayList<>(List.of(tenantId, limit));
    String where = rule.appendTo(args);
    return client.preparedQuery("SELECT count(*) AS n FROM (SELECT 1 FROM audience_profile p WHERE p.tenant_id = $1"
            + " AND (" + where + ") LIMIT $2) x")
        .execute(Tuple.from(args)).map(rows -> rows.iterator().next().getLong("n"));
  }

  /** draft → launching (the caller holds the row lock and has checked the draft). */
  public Uni<Void> markLaunching(SqlClient tx, String tenantId, long id, OffsetDateTime now) {
    return tx.preparedQuery("UPDATE campaign SET status = 'launching', updated_at = $3 WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id, now)).replaceWithVoid();
  }

  /**
   * Locks a campaign that is {@code launching} for the background launch: true when this
   * transaction now holds it. {@code wait}: wait for the transaction that marked it (the request's)
   * to end; otherwise skip it when another worker holds it (a launch still running).
   */
  public Uni<Boolean> lockLaunching(SqlClient tx, String tenantId, long id, boolean wait) {
    return tx.preparedQuery("SELECT 1 FROM campaign WHERE tenant_id = $1 AND id = $2 AND status = 'launching' FOR UPDATE"
            + (wait ? "" : " SKIP LOCKED"))
        .execute(Tuple.of(tenantId, id)).map(rows -> rows.size() == 1);
  }

  /** Campaigns {@code launching} (tenant, id): running, or left by a process that stopped mid-launch. */
  public Uni<List<Object[]>> launching(SqlClient client) {
    return client.query("SELECT tenant_id, id FROM campaign WHERE status = 'launching' ORDER BY id")
        .execute().map(rows -> {
          List<Object[]> list = new ArrayList<>();
          rows.forEach(r -> list.add(new Object[] {r.getString("tenant_id"), r.getLong("id")}));
          return list;
        });
  }

  /** A background launch that failed: back to draft (nothing of it was written), to be launched again. */
  public Uni<Void> backToDraft(SqlClient tx, String tenantId, long id, OffsetDateTime now) {
    return tx.preparedQuery("UPDATE campaign SET status = 'draft', updated_at = $3"
            + " WHERE tenant_id = $1 AND id = $2 AND status = 'launching'")
        .execute(Tuple.of(tenantId, id, now)).replaceWithVoid();
  }

  /** The audience size and suppressions of frozen campaigns (the report's; a recurring one's runs summed). */
  public Uni<long[]> audience(SqlClient client, String tenantId, Long[] campaignIds) {
    return client.preparedQuery("""
            SELECT count(*) AS audience,
                   count(*) FILTER (WHERE suppressed_reason = 'consent') AS consent,
                   count(*) FILTER (WHERE suppressed_reason = 'frequency_cap') AS capped,
                   count(*) FILTER (WHERE quiet_delayed) AS quiet,
                   count(*) FILTER (WHERE suppressed_reason = 'budget') AS over_budget
              FROM campaign_recipient WHERE tenant_id = $1 AND campaign_id = ANY($2)""")
        .execute(Tuple.of(tenantId, campaignIds))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new long[] {row.getLong("audience"), row.getLong("consent"), row.getLong("capped"),
              row.getLong("quiet"), row.getLong("over_budget")};
        });
  }

  public static Suppressed suppressed(long[] audience) {
    return new Suppressed(audience[1], audience[2], audience[3], audience[4]);
  }
}
