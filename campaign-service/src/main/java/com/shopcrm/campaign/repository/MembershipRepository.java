package com.shopcrm.campaign.repository;

import com.shopcrm.campaign.model.SegmentResults.Member;
import com.shopcrm.campaign.model.SegmentResults.MembershipChanges;
import com.shopcrm.common.page.PageRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Members of saved segments ({@code segment_member}) and the outbox of their changes
 * ({@code segment_membership_event}). Each refresh is ONE statement per segment: the rule's
 * matches, the entered (INSERT ... SELECT) and exited (DELETE) members and their outbox rows.
 */
@ApplicationScoped
public class MembershipRepository {

  /**
   * Brings the segment's members in line with its rule, for the given customers only
   * ({@code touched}) or for everyone ({@code null}), recording each change in the outbox.
   */
  public Uni<MembershipChanges> refresh(SqlClient tx, String tenantId, long segmentId, RuleCondition rule,
      Long[] touched, OffsetDateTime now) {
    List<Object> args = new ArrayList<>(List.of(tenantId, segmentId, now));
    String onlyProfiles = "";
    String onlyMembers = "";
    if (touched != null) {
      args.add(touched);
      onlyProfiles = " AND p.customer_id = ANY($4::bigint[])";
      onlyMembers = " AND m.customer_id = ANY($4::bigint[])";
    }
    String where = rule.appendTo(args);
    String sql = """
        WITH matched AS (
            SELECT p.customer_id FROM audience_profile p
             WHERE p.tenant_id = $1%s AND %s
        ), entered AS (
            INSERT INTO segment_member (tenant_id, segment_id, customer_id, entered_at)
            SELECT $1, $2, x.customer_id, $3 FROM matched x
             WHERE NOT EXISTS (SELECT 1 FROM segment_member m WHERE m.tenant_id = $1 AND m.segment_id = $2
                                  AND m.customer_id = x.customer_id)
            ON CONFLICT DO NOTHING
            RETURNING customer_id
        ), exited AS (
            DELETE FROM segment_member m
             WHERE m.tenant_id = $1 AND m.segment_id = $2%s
               AND NOT EXISTS (SELECT 1 FROM matched x WHERE x.customer_id = m.customer_id)
            RETURNING customer_id
        ), logged AS (
            INSERT INTO segment_membership_event (tenant_id, segment_id, customer_id, type, occurred_at)
            SELECT $1, $2, customer_id, 'segment.entered', $3 FROM entered
            UNION ALL
            SELECT $1, $2, customer_id, 'segment.exited', $3 FROM exited
            RETURNING type
        )
        SELECT count(*) FILTER (WHERE type = 'segment.entered') AS entered,
               count(*) FILTER (WHERE type = 'segment.exited') AS exited
          FROM logged""".formatted(onlyProfiles, where, onlyMembers);
    return tx.preparedQuery(sql).execute(Tuple.from(args))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new MembershipChanges(row.getLong("entered"), row.getLong("exited"));
        });
  }

  /** A new segment's first members: the baseline, recorded without entered events. */
  public Uni<Long> populate(SqlClient tx, String tenantId, long segmentId, RuleCondition rule, OffsetDateTime now) {
    List<Object> args = new ArrayList<>(List.of(tenantId, segmentId, now));
    String where = rule.appendTo(args);
    return tx.preparedQuery("INSERT INTO segment_member (tenant_id, segment_id, customer_id, entered_at)"
            + " SELECT $1, $2, p.customer_id, $3 FROM audience_profile p WHERE p.tenant_id = $1 AND " + where)
        .execute(Tuple.from(args)).map(rows -> (long) rows.rowCount());
  }

  public Uni<Long> size(SqlClient client, String tenantId, long segmentId) {
    return client.preparedQuery("SELECT count(*) AS n FROM segment_member WHERE tenant_id = $1 AND segment_id = $2")
        .execute(Tuple.of(tenantId, segmentId)).map(rows -> rows.iterator().next().getLong("n"));
  }

  /** One keyset page of members by customer id. */
  public Uni<List<Member>> page(SqlClient client, String tenantId, long segmentId, PageRequest page) {
    return client.preparedQuery("""
            SELECT customer_id, entered_at FROM segment_member
             WHERE tenant_id = $1 AND segment_id = $2 AND customer_id > $3
             ORDER BY customer_id LIMIT $4""")
        .execute(Tuple.of(tenantId, segmentId, page.after() == null ? 0L : page.after(), page.fetchSize()))
        .map(rows -> {
          List<Member> members = new ArrayList<>();
          rows.forEach(row -> members.add(new Member(row.getLong("customer_id"), row.getOffsetDateTime("entered_at"))));
          return members;
        });
  }

  public Uni<Void> deleteAll(SqlClient tx, String tenantId, long segmentId) {
    return tx.preparedQuery("DELETE FROM segment_member WHERE tenant_id = $1 AND segment_id = $2")
        .execute(Tuple.of(tenantId, segmentId)).replaceWithVoid();
  }
}
