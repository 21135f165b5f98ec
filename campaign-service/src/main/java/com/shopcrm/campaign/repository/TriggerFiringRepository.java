package com.shopcrm.campaign.repository;

import static com.shopcrm.campaign.repository.ContactRules.contactable;
import static com.shopcrm.campaign.repository.ContactRules.noChannelContactable;
import static com.shopcrm.campaign.repository.ContactRules.recentMessages;
import static com.shopcrm.campaign.repository.ContactRules.render;
import static com.shopcrm.campaign.repository.ContactRules.renderBody;

import com.shopcrm.campaign.model.TriggerResults.Evaluation;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fires a trigger set-based: ONE statement per trigger and evaluation (never a statement per
 * customer) selects the due occasions of its kind, records each in {@code trigger_firing}
 * ({@code ON CONFLICT DO NOTHING} on (tenant, trigger, customer, occasion): never twice, also with
 * two evaluators at once), applies consent and the frequency cap ({@link ContactRules}, as a
 * campaign launch), issues coupons and queues the rendered messages in {@code campaign_message}.
 */
@ApplicationScoped
public class TriggerFiringRepository {

  /** An ISO-8601 UTC text of a timestamptz, for occasions that are instants. */
  private static final String ISO = "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'";

  /** What every firing needs besides the occasions: $1..$15 of the statement. */
  public record Fire(String tenantId, long triggerId, OffsetDateTime now, List<String> channels, int frequencyCap,
      OffsetDateTime capSince, OffsetDateTime sendAt, boolean quietDelayed, List<String[]> templates,
      boolean coupon, BigDecimal faceValue, BigDecimal minSpend, Long[] customers) {

    List<Object> args() {
      return new ArrayList<>(Arrays.asList(tenantId, triggerId, now, channels.toArray(String[]::new), frequencyCap,
          capSince, sendAt, quietDelayed, templates.stream().map(t -> t[0]).toArray(String[]::new),
          templates.stream().map(t -> t[1]).toArray(String[]::new),
          templates.stream().map(t -> t[2]).toArray(String[]::new), coupon, faceValue, minSpend, customers));
    }
  }

  /**
   * The due occasions of one kind: a SELECT of {@code (customer_id, occasion)} over
   * {@code audience_profile p}, whose {@code {filter}} takes the customer restriction and the
   * trigger's condition; its own parameters are numbered from $16.
   */
  public record Occasions(String sql, List<Object> params) {

    /**
     * Birthdays on the days from today to today + daysBefore whose due day (birthday − daysBefore)
     * is not before the trigger's first day; occasion = the birthday's year. 29 Feb counts on 28 Feb
     * in other years.
     */
    public static Occasions birthday(LocalDate today, int daysBefore, LocalDate activeSinceDay) {
      return new Occasions("""
          SELECT p.customer_id, to_char(d.day, 'YYYY') AS occasion
            FROM (SELECT g::date AS day FROM generate_series($16::date, $16::date + $17::int, interval '1 day') g) d
            JOIN audience_profile p ON p.tenant_id = $1 AND p.birthday IS NOT NULL
             AND (date_part('month', p.birthday) * 100 + date_part('day', p.birthday))::int
                 IN ((date_part('month', d.day) * 100 + date_part('day', d.day))::int,
                     CASE WHEN to_char(d.day, 'MM-DD') = '02-28' AND to_char(d.day + 1, 'MM-DD') = '03-01'
                          THEN 229 END)
           WHERE d.day - $17::int >= $18::date AND {filter}""", List.of(today, daysBefore, activeSinceDay));
    }

    /**
     * cart_abandon events at least waitHours old (due since the trigger's start) with no order within
     * waitHours after them; occasion = the event's instant.
     */
    public static Occasions cartAbandon(OffsetDateTime from, OffsetDateTime until, int waitHours) {
      return new Occasions("""
          SELECT e.customer_id, to_char(e.occurred_at AT TIME ZONE 'UTC', %s) AS occasion
            FROM audience_event e
            JOIN audience_profile p ON p.tenant_id = e.tenant_id AND p.customer_id = e.customer_id
           WHERE e.tenant_id = $1 AND e.type = 'cart_abandon' AND e.occurred_at >= $16 AND e.occurred_at <= $17
             AND NOT EXISTS (SELECT 1 FROM campaign_order_event o
                              WHERE o.tenant_id = e.tenant_id AND o.customer_id = e.customer_id
                                AND o.type IN ('order.created', 'order.paid', 'order.completed')
                                AND o.occurred_at >= e.occurred_at
                                AND o.occurred_at <= e.occurred_at + make_interval(hours => $18::int))
             AND {filter}""".formatted(ISO), List.of(from, until, waitHours));
    }

    /** Customers in the win-back state since (entered_at) between from and until; occasion = the entry instant. */
    public static Occasions winBack(OffsetDateTime from, OffsetDateTime until) {
      return new Occasions("""
          SELECT s.customer_id, to_char(s.entered_at AT TIME ZONE 'UTC', %s) AS occasion
            FROM trigger_state s
            JOIN audience_profile p ON p.tenant_id = s.tenant_id AND p.customer_id = s.customer_id
           WHERE s.tenant_id = $1 AND s.trigger_id = $2 AND s.entered_at >= $16 AND s.entered_at <= $17
             AND {filter}""".formatted(ISO), List.of(from, until));
    }

    /** Orders completed between from and until and not refunded; occasion = order_no. */
    public static Occasions reviewRequest(OffsetDateTime from, OffsetDateTime until) {
      return new Occasions("""
          SELECT o.customer_id, o.order_no AS occasion
            FROM campaign_order_event o
            JOIN audience_profile p ON p.tenant_id = o.tenant_id AND p.customer_id = o.customer_id
           WHERE o.tenant_id = $1 AND o.type = 'order.completed' AND o.order_no IS NOT NULL
             AND o.occurred_at >= $16 AND o.occurred_at <= $17
             AND NOT EXISTS (SELECT 1 FROM campaign_order_event r
                              WHERE r.tenant_id = o.tenant_id AND r.order_no = o.order_no AND r.type = 'order.refunded')
             AND {filter}""", List.of(from, until));
    }

    /**
     * Entries into the segment between from and until (its {@code segment.entered} events); occasion =
     * the event's id, so each entry fires once (a customer who leaves and comes back is a new occasion).
     * The trigger's condition is the same segment's rule: one who left again before firing is not messaged.
     */
    public static Occasions enteredSegment(OffsetDateTime from, OffsetDateTime until, long segmentId) {
      return new Occasions("""
          SELECT e.customer_id, e.id::text AS occasion
            FROM segment_membership_event e
            JOIN audience_profile p ON p.tenant_id = e.tenant_id AND p.customer_id = e.customer_id
           WHERE e.tenant_id = $1 AND e.segment_id = $18 AND e.type = 'segment.entered'
             AND e.occurred_at >= $16 AND e.occurred_at <= $17
             AND {filter}""", List.of(from, until, segmentId));
    }

    /** Expected next order dates between from and until with no order since; occasion = that date (shop time). */
    public static Occasions repurchase(OffsetDateTime from, OffsetDateTime until, ZoneId zone) {
      return new Occasions("""
          SELECT p.customer_id, to_char(p.expected_next_order_at AT TIME ZONE $18::text, 'YYYY-MM-DD') AS occasion
            FROM audience_profile p
           WHERE p.tenant_id = $1 AND p.expected_next_order_at >= $16 AND p.expected_next_order_at <= $17
             AND (p.last_order_at IS NULL OR p.last_order_at < p.expected_next_order_at)
             AND {filter}""", List.of(from, until, zone.getId()));
    }
  }

  private static final String FIRE = """
      WITH cand AS (SELECT DISTINCT c.customer_id, c.occasion FROM ({occasions}) c),
      fired AS (
          INSERT INTO trigger_firing (tenant_id, trigger_id, customer_id, occasion, fired_at, suppressed_reason,
                                      send_at, quiet_delayed)
          SELECT $1, $2, x.customer_id, x.occasion, $3, x.reason, $7, $8 AND x.reason IS NULL
            FROM (SELECT c.customer_id, c.occasion,
                         CASE WHEN {no_consent} THEN 'consent'
                              WHEN ({recent}) >= $5 THEN 'frequency_cap' END AS reason
                    FROM cand c JOIN audience_profile p ON p.tenant_id = $1 AND p.customer_id = c.customer_id) x
           ORDER BY x.customer_id, x.occasion
          ON CONFLICT DO NOTHING
          RETURNING customer_id, occasion, suppressed_reason),
      coupons AS (
          INSERT INTO campaign_coupon (tenant_id, code, trigger_id, customer_id, occasion, face_value, min_spend)
          SELECT $1, 'T' || $2::bigint::text || '-' || upper(to_hex(f.customer_id)) || '-'
                     || upper(substr(md5(random()::text || f.customer_id::text || f.occasion), 1, 6)),
                 $2, f.customer_id, f.occasion, $13, $14
            FROM fired f WHERE $12 AND f.suppressed_reason IS NULL
          RETURNING customer_id, occasion, code),
      msgs AS (
          INSERT INTO campaign_message (tenant_id, trigger_id, occasion, customer_id, arm, channel, subject, body,
                                        coupon_code, scheduled_at)
          SELECT $1, $2, f.occasion, f.customer_id, 'trigger', t.channel, {subject}, {body}, cp.code, $7
            FROM fired f
            JOIN audience_profile p ON p.tenant_id = $1 AND p.customer_id = f.customer_id
            CROSS JOIN unnest($9::text[], $10::text[], $11::text[]) AS t(channel, subject, body)
            LEFT JOIN coupons cp ON cp.customer_id = f.customer_id AND cp.occasion = f.occasion
           WHERE f.suppressed_reason IS NULL AND {contactable}
           ORDER BY f.customer_id, t.channel
          RETURNING 1)
      SELECT (SELECT count(*) FROM fired) AS fired,
             (SELECT count(*) FROM fired WHERE suppressed_reason IS NOT NULL) AS suppressed,
             (SELECT count(*) FROM msgs) AS messages"""
      .replace("{no_consent}", noChannelContactable("p", "$4::text[]"))
      .replace("{recent}", recentMessages("$1", "c.customer_id", "$6"))
      .replace("{subject}", render("t.subject", "p", "cp.code"))
      .replace("{body}", renderBody("t.body", "t.channel", "p", "cp.code"))
      .replace("{contactable}", contactable("p", "t.channel"));

  /**
   * Fires the occasions due now; {@code condition} is the trigger's segment rule over
   * {@code audience_profile p} ({@code true} without one).
   */
  public Uni<Evaluation> fire(SqlClient tx, Fire fire, Occasions occasions, RuleCondition condition) {
    List<Object> args = fire.args();
    args.addAll(occasions.params());
    String filter = "($15::bigint[] IS NULL OR p.customer_id = ANY($15)) AND (" + condition.appendTo(args) + ")";
    String sql = FIRE.replace("{occasions}", occasions.sql().replace("{filter}", filter));
    return tx.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> {
      Row r = rows.iterator().next();
      return new Evaluation(fire.triggerId(), r.getLong("fired"), r.getLong("suppressed"), r.getLong("messages"));
    });
  }

  /**
   * Win-back state: customers who left it are removed (the next entry is a new occasion), those
   * in it and not yet recorded enter at {@code now}. {@code customers} null: every customer.
   */
  public Uni<Void> refreshWinBackState(SqlClient tx, String tenantId, long triggerId, Long[] customers,
      String lifecycleStage, BigDecimal pAliveBelow, OffsetDateTime now) {
    String inState = "(($4::text IS NOT NULL AND p.lifecycle_stage = $4::text)"
        + " OR ($5::numeric IS NOT NULL AND p.p_alive < $5::numeric))";
    Tuple args = Tuple.from(new Object[] {tenantId, triggerId, customers, lifecycleStage, pAliveBelow, now});
    return tx.preparedQuery("""
            DELETE FROM trigger_state s
             WHERE s.tenant_id = $1 AND s.trigger_id = $2 AND ($3::bigint[] IS NULL OR s.customer_id = ANY($3))
               AND $6::timestamptz IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM audience_profile p
                                WHERE p.tenant_id = s.tenant_id AND p.customer_id = s.customer_id AND\s""" + inState
            + ")")
        .execute(args)
        .flatMap(ignored -> tx.preparedQuery("""
                INSERT INTO trigger_state (tenant_id, trigger_id, customer_id, entered_at)
                SELECT $1, $2, p.customer_id, $6 FROM audience_profile p
                 WHERE p.tenant_id = $1 AND ($3::bigint[] IS NULL OR p.customer_id = ANY($3)) AND\s""" + inState
                + " ORDER BY p.customer_id ON CONFLICT DO NOTHING")
            .execute(args))
        .replaceWithVoid();
  }
}
