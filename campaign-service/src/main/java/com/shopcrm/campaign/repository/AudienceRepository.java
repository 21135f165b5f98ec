package com.shopcrm.campaign.repository;

import com.shopcrm.campaign.model.AudienceProfileView;
import com.shopcrm.campaign.rule.AudienceField;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * The audience read model ({@code audience_profile}, {@code audience_event}). Plain SQL on the
 * reactive pool rather than entities: counts and samples are one dynamic query each, and syncs
 * are set-based statements over thousands of rows.
 */
@ApplicationScoped
public class AudienceRepository {

  private static final String PROFILE_COLUMNS = "customer_id, external_id, name, gender, birthday, province, city,"
      + " platform, age_band, created_at, tags, consent_sms, consent_email, consent_app, points_balance, tier,"
      + " rfm_segment, rfm11, lifecycle_stage, p_alive, predicted_clv_365d, frequency, monetary, recency_days,"
      + " last_order_at, expected_next_order_at, updated_at";

  /** SET clause of the profile sync: a column changes only when the item names it (null clears it). */
  private static final String PROFILE_SET = profileSet();

  /** Customers of the tenant matching the rule. */
  public Uni<Long> count(SqlClient client, String tenantId, RuleCondition rule) {
    List<Object> args = new ArrayList<>(List.of(tenantId));
    String where = rule.appendTo(args);
    return client.preparedQuery("SELECT count(*) AS n FROM audience_profile p WHERE p.tenant_id = $1 AND " + where)
        .execute(Tuple.from(args)).map(rows -> rows.iterator().next().getLong("n"));
  }

  /** The first {@code limit} matching profiles by customer id. */
  public Uni<List<AudienceProfileView>> sample(SqlClient client, String tenantId, RuleCondition rule, int limit) {
    List<Object> args = new ArrayList<>(List.of(tenantId, limit));
    String where = rule.appendTo(args);
    return client.preparedQuery("SELECT " + PROFILE_COLUMNS + " FROM audience_profile p WHERE p.tenant_id = $1 AND "
            + where + " ORDER BY p.customer_id LIMIT $2")
        .execute(Tuple.from(args))
        .map(rows -> {
          List<AudienceProfileView> views = new ArrayList<>();
          rows.forEach(row -> views.add(view(row)));
          return views;
        });
  }

  /**
   * Upserts partial profiles in two set-based statements: rows for new customers first (keys only),
   * then one UPDATE joining the items ({@code jsonb_array_elements}) that sets exactly the fields
   * each item carries. Removed customers ({@code audience_removed}) get no row, so their items change
   * nothing. Returns how many customers were new.
   *
   * @param profilesJson a JSON array of objects with {@code customer_id} and column-named fields,
   *                     at most one per customer, already validated
   */
  public Uni<Integer> upsertProfiles(SqlClient tx, String tenantId, Long[] customerIds, String profilesJson,
      OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO audience_profile (tenant_id, customer_id, updated_at)
            SELECT $1, id, $3 FROM unnest($2::bigint[]) AS id
             WHERE NOT EXISTS (SELECT 1 FROM audience_removed r WHERE r.tenant_id = $1 AND r.customer_id = id)
             ORDER BY id
            ON CONFLICT DO NOTHING""")
        .execute(Tuple.of(tenantId, customerIds, now))
        .flatMap(created -> tx.preparedQuery("UPDATE audience_profile t SET " + PROFILE_SET + ", updated_at = $3"
                + " FROM (SELECT (j->>'customer_id')::bigint AS customer_id, j FROM jsonb_array_elements($2::text::jsonb) j) i"
                + " WHERE t.tenant_id = $1 AND t.customer_id = i.customer_id")
            .execute(Tuple.of(tenantId, profilesJson, now))
            .map(ignored -> created.rowCount()));
  }

  /**
   * Removes customers from the read model for good, in one statement: their profiles, behaviour
   * events and win-back trigger state go, and {@code audience_removed} records them so that later
   * items for them are ignored (campaign history — recipients, messages, coupons — stays). Segment
   * memberships are left to the membership refresh, which records their exits. Returns how many
   * profiles were held.
   */
  public Uni<Integer> deleteProfiles(SqlClient tx, String tenantId, Long[] customerIds, OffsetDateTime now) {
    if (customerIds.length == 0) {
      return Uni.createFrom().item(0);
    }
    return tx.preparedQuery("""
            WITH removed AS (
                INSERT INTO audience_removed (tenant_id, customer_id, removed_at)
                SELECT $1, id, $3 FROM unnest($2::bigint[]) AS id ORDER BY id
                ON CONFLICT DO NOTHING
            ), events AS (
                DELETE FROM audience_event WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[])
            ), states AS (
                DELETE FROM trigger_state WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[])
            )
            DELETE FROM audience_profile WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[])""")
        .execute(Tuple.of(tenantId, customerIds, now))
        .map(io.vertx.mutiny.sqlclient.SqlResult::rowCount);
  }

  /**
   * Inserts behaviour events (index-aligned arrays); ones already held and ones of removed customers
   * are skipped. Returns the new ones.
   */
  public Uni<Integer> insertEvents(SqlClient tx, String tenantId, Long[] customerIds, String[] types,
      OffsetDateTime[] occurredAt) {
    return tx.preparedQuery("""
            INSERT INTO audience_event (tenant_id, customer_id, type, occurred_at)
            SELECT $1, customer_id, type, occurred_at
              FROM unnest($2::bigint[], $3::text[], $4::timestamptz[]) AS i(customer_id, type, occurred_at)
             WHERE NOT EXISTS (SELECT 1 FROM audience_removed r WHERE r.tenant_id = $1
                                  AND r.customer_id = i.customer_id)
            ON CONFLICT DO NOTHING""")
        .execute(Tuple.of(tenantId, customerIds, types, occurredAt))
        .map(io.vertx.mutiny.sqlclient.SqlResult::rowCount);
  }

  private static String profileSet() {
    StringJoiner set = new StringJoiner(", ");
    for (AudienceField field : AudienceField.PROFILE_FIELDS.values()) {
      String col = field.column();
      String value = switch (field.type()) {
        case TEXT_ARRAY -> "CASE WHEN jsonb_typeof(i.j->'" + col + "') = 'array'"
            + " THEN ARRAY(SELECT DISTINCT jsonb_array_elements_text(i.j->'" + col + "')) ELSE '{}' END";
        case INTEGER -> "(i.j->>'" + col + "')::bigint";
        case DECIMAL -> "(i.j->>'" + col + "')::numeric";
        case DATE -> "(i.j->>'" + col + "')::date";
        case TIMESTAMP -> "(i.j->>'" + col + "')::timestamptz";
        case BOOLEAN -> "(i.j->>'" + col + "')::boolean";
        default -> "i.j->>'" + col + "'";
      };
      set.add(col + " = CASE WHEN i.j ? '" + col + "' THEN " + value + " ELSE t." + col + " END");
    }
    return set.toString();
  }

  private static AudienceProfileView view(Row row) {
    String[] tags = row.getArrayOfStrings("tags");
    return new AudienceProfileView(row.getLong("customer_id"), row.getString("external_id"), row.getString("name"),
        row.getString("gender"), row.getLocalDate("birthday"), row.getString("province"), row.getString("city"),
        row.getString("platform"), row.getString("age_band"), row.getOffsetDateTime("created_at"),
        tags == null ? List.of() : Arrays.asList(tags), row.getBoolean("consent_sms"), row.getBoolean("consent_email"),
        row.getBoolean("consent_app"), row.getLong("points_balance"), row.getString("tier"),
        row.getString("rfm_segment"), row.getString("rfm11"), row.getString("lifecycle_stage"),
        row.getBigDecimal("p_alive"), row.getBigDecimal("predicted_clv_365d"), row.getInteger("frequency"),
        row.getBigDecimal("monetary"), row.getInteger("recency_days"), row.getOffsetDateTime("last_order_at"),
        row.getOffsetDateTime("expected_next_order_at"), row.getOffsetDateTime("updated_at"));
  }
}
