package com.shopcrm.customer.audience;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code audience_outbox} (filled by the triggers of V4__audience_feed.sql) and the snapshot of
 * the profiles it names. Plain SQL on the reactive client like the rest of the service; every
 * statement is set-based whatever the batch size.
 */
@ApplicationScoped
public class AudienceOutboxRepository {

  /** One pending row: a profile change (eventType null) or a behaviour event. */
  public record Pending(long id, long customerId, String eventType, OffsetDateTime occurredAt) {
    boolean isEvent() {
      return eventType != null;
    }
  }

  /** One profile item as campaign-service takes it (JSON text). */
  public record Profile(long customerId, String json) {
  }

  /** What {@code POST /audience-feed/resync} enqueued. */
  public record Resync(long profiles, long events, long parkedDropped) {
  }

  /** The outbox of a tenant. */
  public record Status(long pendingProfiles, long pendingEvents, long parked, OffsetDateTime oldestPendingAt) {
  }

  /** Advisory-lock class of the relay (the tenant's hash is the second key). */
  static final int LOCK_CLASS = 0x41554446; // "AUDF"

  /** Tenants with pending rows: a loose index scan, so a million pending rows cost a few probes. */
  public Uni<List<String>> pendingTenants(SqlClient client) {
    return client.query("""
            WITH RECURSIVE t AS (
                (SELECT tenant_id FROM audience_outbox WHERE parked_at IS NULL ORDER BY tenant_id LIMIT 1)
                UNION ALL
                SELECT (SELECT o.tenant_id FROM audience_outbox o
                         WHERE o.parked_at IS NULL AND o.tenant_id > t.tenant_id ORDER BY o.tenant_id LIMIT 1)
                  FROM t WHERE t.tenant_id IS NOT NULL)
            SELECT tenant_id FROM t WHERE tenant_id IS NOT NULL""")
        .execute()
        .map(rows -> {
          List<String> tenants = new ArrayList<>();
          rows.forEach(row -> tenants.add(row.getString("tenant_id")));
          return tenants;
        });
  }

  /**
   * The tenant's relay lock for the caller's transaction; false when another replica holds it. One
   * relay per tenant at a time keeps snapshots in order: an older snapshot can never overtake a
   * newer one of the same customer.
   */
  public Uni<Boolean> tryLockTenant(SqlClient tx, String tenantId) {
    return tx.preparedQuery("SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked")
        .execute(Tuple.of(LOCK_CLASS, tenantId))
        .map(rows -> rows.iterator().next().getBoolean("locked"));
  }

  /** The oldest pending rows of the tenant, locked for the caller's transaction. */
  public Uni<List<Pending>> take(SqlClient tx, String tenantId, int limit) {
    return tx.preparedQuery("""
            SELECT id, customer_id, event_type, occurred_at FROM audience_outbox
             WHERE tenant_id = $1 AND parked_at IS NULL
             ORDER BY id LIMIT $2
               FOR UPDATE SKIP LOCKED""")
        .execute(Tuple.of(tenantId, limit))
        .map(rows -> {
          List<Pending> pending = new ArrayList<>();
          for (Row row : rows) {
            pending.add(new Pending(row.getLong("id"), row.getLong("customer_id"), row.getString("event_type"),
                row.getOffsetDateTime("occurred_at")));
          }
          return pending;
        });
  }

  /**
   * The current read-model snapshot of the customers, in one query, in id order. A customer that is
   * gone (deleted, or merged into another) is sent as {@code {customer_id, deleted: true}}, which
   * removes its profile, events and segment memberships from campaign-service's read model. Consent is "contactable" under the tenant's model (implied: unless
   * opted out). Text is cut to campaign-service's 200 characters, tags to its 100.
   */
  public Uni<List<Profile>> profiles(SqlClient client, String tenantId, Long[] customerIds) {
    return client.preparedQuery("""
            SELECT i.id, CASE WHEN c.id IS NULL THEN jsonb_build_object('customer_id', i.id, 'deleted', true)
                   ELSE jsonb_build_object(
                       'customer_id', i.id,
                       'external_id', left(c.external_id, 200),
                       'name', left(c.name, 200),
                       'gender', c.gender,
                       'birthday', c.birthday,
                       'province', left(c.province, 200),
                       'city', left(c.city, 200),
                       'platform', c.platform,
                       'age_band', left(c.age_band, 200),
                       'created_at', c.created_at,
                       'tags', to_jsonb(ARRAY(SELECT left(t.tag, 200) FROM customer_tag t
                                               WHERE t.tenant_id = $1 AND t.customer_id = c.id
                                               ORDER BY t.tag LIMIT 100)),
                       'consent_sms', coalesce(sms.granted, true),
                       'consent_email', coalesce(email.granted, true),
                       'consent_app', coalesce(app.granted, true),
                       'points_balance', coalesce(m.points_balance, 0),
                       'tier', coalesce(m.tier, p.tiers -> 0 ->> 'code', 'normal')
                   ) END::text AS profile
              FROM unnest($2::bigint[]) AS i(id)
              LEFT JOIN customer c ON c.tenant_id = $1 AND c.id = i.id AND c.merged_into IS NULL
              LEFT JOIN membership m ON m.tenant_id = $1 AND m.customer_id = c.id
              LEFT JOIN membership_program p ON p.tenant_id = $1
              LEFT JOIN customer_consent sms ON sms.tenant_id = $1 AND sms.customer_id = c.id AND sms.channel = 'sms'
              LEFT JOIN customer_consent email ON email.tenant_id = $1 AND email.customer_id = c.id
                                              AND email.channel = 'email'
              LEFT JOIN customer_consent app ON app.tenant_id = $1 AND app.customer_id = c.id AND app.channel = 'app'
             ORDER BY i.id""")
        .execute(Tuple.of(tenantId, customerIds))
        .map(rows -> {
          List<Profile> profiles = new ArrayList<>();
          rows.forEach(row -> profiles.add(new Profile(row.getLong("id"), row.getString("profile"))));
          return profiles;
        });
  }

  /** Which of the customers are live (not deleted, not merged away): only their events are sent. */
  public Uni<Set<Long>> live(SqlClient client, String tenantId, Long[] customerIds) {
    if (customerIds.length == 0) {
      return Uni.createFrom().item(Set.of());
    }
    return client.preparedQuery("""
            SELECT id FROM customer WHERE tenant_id = $1 AND id = ANY($2::bigint[]) AND merged_into IS NULL""")
        .execute(Tuple.of(tenantId, customerIds))
        .map(rows -> {
          Set<Long> live = new HashSet<>();
          rows.forEach(row -> live.add(row.getLong("id")));
          return live;
        });
  }

  public Uni<Integer> delete(SqlClient tx, String tenantId, Long[] ids) {
    if (ids.length == 0) {
      return Uni.createFrom().item(0);
    }
    return tx.preparedQuery("DELETE FROM audience_outbox WHERE tenant_id = $1 AND id = ANY($2::bigint[])")
        .execute(Tuple.of(tenantId, ids))
        .map(rows -> rows.rowCount());
  }

  /** Sets rows aside that campaign-service refused as invalid, with its answer; resync drops them. */
  public Uni<Integer> park(SqlClient tx, String tenantId, Long[] ids, String error, OffsetDateTime now) {
    if (ids.length == 0) {
      return Uni.createFrom().item(0);
    }
    return tx.preparedQuery("""
            UPDATE audience_outbox SET parked_at = $3, error = left($4, 2000)
             WHERE tenant_id = $1 AND id = ANY($2::bigint[])""")
        .execute(Tuple.of(tenantId, ids, now, error))
        .map(rows -> rows.rowCount());
  }

  /**
   * Enqueues every live customer of the tenant and every event held on them (three set-based
   * statements), after dropping the tenant's parked rows, which the fresh rows supersede.
   */
  public Uni<Resync> resync(SqlClient tx, String tenantId) {
    return tx.preparedQuery("DELETE FROM audience_outbox WHERE tenant_id = $1 AND parked_at IS NOT NULL")
        .execute(Tuple.of(tenantId))
        .flatMap(dropped -> tx.preparedQuery("""
                INSERT INTO audience_outbox (tenant_id, customer_id)
                SELECT tenant_id, id FROM customer WHERE tenant_id = $1 AND merged_into IS NULL ORDER BY id""")
            .execute(Tuple.of(tenantId))
            .flatMap(profiles -> tx.preparedQuery("""
                    INSERT INTO audience_outbox (tenant_id, customer_id, event_type, occurred_at)
                    SELECT tenant_id, customer_id, type, occurred_at FROM customer_event WHERE tenant_id = $1
                     ORDER BY id""")
                .execute(Tuple.of(tenantId))
                .map(events -> new Resync(profiles.rowCount(), events.rowCount(), dropped.rowCount()))));
  }

  public Uni<Status> status(SqlClient client, String tenantId) {
    return client.preparedQuery("""
            SELECT count(*) FILTER (WHERE parked_at IS NULL AND event_type IS NULL) AS profiles,
                   count(*) FILTER (WHERE parked_at IS NULL AND event_type IS NOT NULL) AS events,
                   count(*) FILTER (WHERE parked_at IS NOT NULL) AS parked,
                   min(created_at) FILTER (WHERE parked_at IS NULL) AS oldest
              FROM audience_outbox WHERE tenant_id = $1""")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new Status(r.getLong("profiles"), r.getLong("events"), r.getLong("parked"),
              r.getOffsetDateTime("oldest"));
        });
  }
}
