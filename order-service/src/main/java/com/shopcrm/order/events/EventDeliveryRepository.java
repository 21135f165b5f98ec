package com.shopcrm.order.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Delivery state of the order-event outbox (V10): the subscriber rows (scan position, back-off,
 * lease), the per-tenant cursors and the per-event attempt state. Straight SQL on the reactive
 * client: multi-row statements over unnest() arrays, one round trip per kind of write.
 */
@ApplicationScoped
public class EventDeliveryRepository {

  static final String EVENT_COLUMNS = "e.tenant_id, e.seq, e.event_id, e.type, e.order_id, e.order_no, "
      + "e.customer_id, e.customer_external_id, e.occurred_at, e.payload::text AS payload";

  /** The subscriber's row as the dispatcher leased it; {@code due}: not backing off. */
  record Lease(long scanSeq, int failures, boolean due) {
  }

  /** A parked event (pending or poison) with the event itself. */
  record Parked(OutboxEvent event, String status, int attempts) {
  }

  /** One per-event state row for the admin. */
  public record DeliveryView(String subscriber, long seq, UUID eventId, String type, String orderNo, String status,
      int attempts, Integer lastStatus, String lastError, OffsetDateTime nextAttemptAt, OffsetDateTime updatedAt) {
  }

  /** A subscriber seen from one tenant. */
  record Status(long scanSeq, int failures, OffsetDateTime nextAttemptAt, String lastError,
      OffsetDateTime lastErrorAt, Long deliveredSeq, Long replayUntil, long unscanned, long pending, long poison,
      String tenantLastError) {
  }

  static OutboxEvent event(Row r) {
    return new OutboxEvent(r.getString("tenant_id"), r.getLong("seq"), r.getUUID("event_id"), r.getString("type"),
        r.getLong("order_id"), r.getString("order_no"), r.getLong("customer_id"), r.getString("customer_external_id"),
        r.getOffsetDateTime("occurred_at"), r.getString("payload"));
  }

  private static List<OutboxEvent> events(RowSet<Row> rows) {
    List<OutboxEvent> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(event(r)));
    return out;
  }

  // ---------------------------------------------------------------- subscriber row

  /**
   * Takes (or renews) the right to dispatch to the subscriber for {@code leaseMillis}; null when
   * another replica holds it.
   */
  Uni<Lease> lease(SqlClient db, String subscriber, String owner, long leaseMillis) {
    return db.preparedQuery("INSERT INTO order_event_subscriber (subscriber) VALUES ($1) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(subscriber))
        .flatMap(ignored -> db.preparedQuery("""
                UPDATE order_event_subscriber
                   SET lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond'
                 WHERE subscriber = $1 AND (lease_owner = $2 OR lease_until IS NULL OR lease_until < now())
             RETURNING scan_seq, failures, (next_attempt_at IS NULL OR next_attempt_at <= now()) AS due""")
            .execute(Tuple.of(subscriber, owner, leaseMillis)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new Lease(r.getLong("scan_seq"), r.getInteger("failures"), r.getBoolean("due"));
        });
  }

  /** The subscriber cannot be reached: wait {@code delayMillis} before the next try. */
  Uni<Void> backOff(SqlClient db, String subscriber, int failures, long delayMillis, String error) {
    return db.preparedQuery("""
            UPDATE order_event_subscriber
               SET failures = $2, next_attempt_at = now() + $3 * interval '1 millisecond', last_error = $4,
                   last_error_at = now(), updated_at = now()
             WHERE subscriber = $1""")
        .execute(Tuple.of(subscriber, failures, delayMillis, error)).replaceWithVoid();
  }

  /** A scan went through: the scan position moves on and the back-off is over. */
  Uni<Void> scanned(SqlClient tx, String subscriber, long scanSeq) {
    return tx.preparedQuery("""
            UPDATE order_event_subscriber
               SET scan_seq = GREATEST(scan_seq, $2), failures = 0, next_attempt_at = NULL, updated_at = now()
             WHERE subscriber = $1""")
        .execute(Tuple.of(subscriber, scanSeq)).replaceWithVoid();
  }

  // ---------------------------------------------------------------- reading events

  /** Events of every tenant after the scan position, never past the gap-safe frontier. */
  Uni<List<OutboxEvent>> scan(SqlClient db, long afterSeq, long upToSeq, int limit) {
    return db.preparedQuery("SELECT " + EVENT_COLUMNS + " FROM order_event e WHERE e.seq > $1 AND e.seq <= $2 "
            + "ORDER BY e.seq LIMIT $3")
        .execute(Tuple.of(afterSeq, upToSeq, limit)).map(EventDeliveryRepository::events);
  }

  /** One tenant's events in a seq range (a redelivery). */
  Uni<List<OutboxEvent>> tenantRange(SqlClient db, String tenantId, long afterSeq, long upToSeq, int limit) {
    return db.preparedQuery("SELECT " + EVENT_COLUMNS + " FROM order_event e WHERE e.tenant_id = $1 AND e.seq > $2 "
            + "AND e.seq <= $3 ORDER BY e.seq LIMIT $4")
        .execute(Tuple.of(tenantId, afterSeq, upToSeq, limit)).map(EventDeliveryRepository::events);
  }

  /** Ordering keys ({@link OutboxEvent#orderingKey()}) among these that have a pending event parked. */
  Uni<Set<String>> blockedKeys(SqlClient db, String subscriber, Collection<OutboxEvent> events) {
    Set<String> seen = new HashSet<>();
    List<String> tenants = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (OutboxEvent e : events) {
      if (seen.add(e.orderingKey())) {
        tenants.add(e.tenantId());
        keys.add(e.customerKey());
      }
    }
    if (tenants.isEmpty()) {
      return Uni.createFrom().item(Set.of());
    }
    return db.preparedQuery("""
            SELECT DISTINCT d.tenant_id, d.customer_key FROM order_event_delivery d
              JOIN unnest($2::text[], $3::text[]) AS k(tenant_id, customer_key)
                ON d.tenant_id = k.tenant_id AND d.customer_key = k.customer_key
             WHERE d.subscriber = $1 AND d.status = 'pending'""")
        .execute(Tuple.of(subscriber, tenants.toArray(String[]::new), keys.toArray(String[]::new)))
        .map(rows -> {
          Set<String> out = new HashSet<>();
          rows.forEach(r -> out.add(r.getString("tenant_id") + '\u0000' + r.getString("customer_key")));
          return out;
        });
  }

  /** Tenants of these events that are being redelivered (served from their own cursor). */
  Uni<Set<String>> replayingTenants(SqlClient db, String subscriber, Collection<OutboxEvent> events) {
    String[] tenants = events.stream().map(OutboxEvent::tenantId).distinct().toArray(String[]::new);
    if (tenants.length == 0) {
      return Uni.createFrom().item(Set.of());
    }
    return db.preparedQuery("SELECT tenant_id FROM order_event_cursor WHERE subscriber = $1 "
            + "AND tenant_id = ANY($2::text[]) AND replay_until IS NOT NULL")
        .execute(Tuple.of(subscriber, tenants))
        .map(rows -> {
          Set<String> out = new HashSet<>();
          rows.forEach(r -> out.add(r.getString("tenant_id")));
          return out;
        });
  }

  /** Cursors being redelivered: tenant, from (exclusive), until (inclusive). */
  record Replay(String tenantId, long deliveredSeq, long replayUntil) {
  }

  Uni<List<Replay>> replays(SqlClient db, String subscriber, int limit) {
    return db.preparedQuery("SELECT tenant_id, delivered_seq, replay_until FROM order_event_cursor "
            + "WHERE subscriber = $1 AND replay_until IS NOT NULL ORDER BY updated_at LIMIT $2")
        .execute(Tuple.of(subscriber, limit))
        .map(rows -> {
          List<Replay> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Replay(r.getString("tenant_id"), r.getLong("delivered_seq"),
              r.getLong("replay_until"))));
          return out;
        });
  }

  /**
   * Parked events due for another try: per (tenant, customer) only the earliest pending one, so a
   * customer's later events never overtake an earlier one.
   */
  Uni<List<Parked>> dueHeads(SqlClient db, String subscriber, int limit) {
    return db.preparedQuery("""
            SELECT %s, h.attempts FROM (
                SELECT DISTINCT ON (d.tenant_id, d.customer_key) d.tenant_id, d.seq, d.attempts, d.next_attempt_at
                  FROM order_event_delivery d
                 WHERE d.subscriber = $1 AND d.status = 'pending'
                 ORDER BY d.tenant_id, d.customer_key, d.seq) h
              JOIN order_event e ON e.tenant_id = h.tenant_id AND e.seq = h.seq
             WHERE h.next_attempt_at <= now()
             ORDER BY h.seq LIMIT $2""".formatted(EVENT_COLUMNS))
        .execute(Tuple.of(subscriber, limit))
        .map(rows -> {
          List<Parked> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Parked(event(r), "pending", r.getInteger("attempts"))));
          return out;
        });
  }

  // ---------------------------------------------------------------- writing outcomes

  /** Pending or poison state of an event (insert, or update a parked one). */
  record StateChange(OutboxEvent event, String status, int attempts, long delayMillis, Integer lastStatus,
      String lastError) {
  }

  Uni<Void> saveStates(SqlClient tx, String subscriber, List<StateChange> changes) {
    if (changes.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> tuples = new ArrayList<>(changes.size());
    for (StateChange c : changes) {
      tuples.add(Tuple.from(Arrays.asList(c.event().tenantId(), subscriber, c.event().seq(), c.event().eventId(),
          c.event().customerKey(), c.status(), c.attempts(), c.delayMillis(), c.lastStatus(), c.lastError())));
    }
    return tx.preparedQuery("""
            INSERT INTO order_event_delivery (tenant_id, subscriber, seq, event_id, customer_key, status, attempts,
                next_attempt_at, last_status, last_error, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8 * interval '1 millisecond', $9, $10, now())
            ON CONFLICT (tenant_id, subscriber, seq) DO UPDATE SET status = EXCLUDED.status,
                attempts = EXCLUDED.attempts, next_attempt_at = EXCLUDED.next_attempt_at,
                last_status = COALESCE(EXCLUDED.last_status, order_event_delivery.last_status),
                last_error = COALESCE(EXCLUDED.last_error, order_event_delivery.last_error), updated_at = now()""")
        .executeBatch(tuples).replaceWithVoid();
  }

  /** Parked events that went through now. */
  Uni<Void> delivered(SqlClient tx, String subscriber, List<OutboxEvent> events) {
    if (events.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return tx.preparedQuery("""
            DELETE FROM order_event_delivery d USING unnest($2::text[], $3::bigint[]) AS k(tenant_id, seq)
             WHERE d.subscriber = $1 AND d.tenant_id = k.tenant_id AND d.seq = k.seq""")
        .execute(Tuple.of(subscriber, events.stream().map(OutboxEvent::tenantId).toArray(String[]::new),
            events.stream().map(OutboxEvent::seq).toArray(Long[]::new)))
        .replaceWithVoid();
  }

  /**
   * After a scan: each tenant's cursor moves to the last of its events in the batch, unless the
   * tenant is being redelivered, in which case the redelivery's end moves instead (the redelivery
   * then delivers those events, in order, after the older ones).
   */
  Uni<Void> advanceCursors(SqlClient tx, String subscriber, Map<String, Long> lastSeqByTenant) {
    if (lastSeqByTenant.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    String[] tenants = lastSeqByTenant.keySet().toArray(String[]::new);
    Long[] seqs = Arrays.stream(tenants).map(lastSeqByTenant::get).toArray(Long[]::new);
    return tx.preparedQuery("""
            INSERT INTO order_event_cursor (tenant_id, subscriber, delivered_seq, updated_at)
            SELECT t, $1, s, now() FROM unnest($2::text[], $3::bigint[]) AS u(t, s)
            ON CONFLICT (tenant_id, subscriber) DO UPDATE SET
                delivered_seq = CASE WHEN order_event_cursor.replay_until IS NULL
                    THEN GREATEST(order_event_cursor.delivered_seq, EXCLUDED.delivered_seq)
                    ELSE order_event_cursor.delivered_seq END,
                replay_until = CASE WHEN order_event_cursor.replay_until IS NULL THEN NULL
                    ELSE GREATEST(order_event_cursor.replay_until, EXCLUDED.delivered_seq) END,
                updated_at = now()""")
        .execute(Tuple.of(subscriber, tenants, seqs)).replaceWithVoid();
  }

  /** A redelivery step: the tenant's cursor moves on; the redelivery ends when it reaches its end. */
  Uni<Void> advanceReplay(SqlClient tx, String subscriber, String tenantId, long deliveredSeq) {
    return tx.preparedQuery("""
            UPDATE order_event_cursor SET delivered_seq = $3,
                   replay_until = CASE WHEN replay_until <= $3 THEN NULL ELSE replay_until END, updated_at = now()
             WHERE tenant_id = $1 AND subscriber = $2""")
        .execute(Tuple.of(tenantId, subscriber, deliveredSeq)).replaceWithVoid();
  }

  // ---------------------------------------------------------------- admin

  /**
   * Redeliver the tenant's events from {@code fromSeq} on: the cursor goes back and the tenant is
   * served from it until it reaches the current scan position. Poison records in that range are
   * cleared (they get another chance). Locks the subscriber row first, as the scan does, so the two
   * never deadlock and never lose each other's cursor write. The number of events to redeliver.
   */
  Uni<Long> redeliver(SqlClient tx, String tenantId, String subscriber, long fromSeq) {
    return tx.preparedQuery("INSERT INTO order_event_subscriber (subscriber) VALUES ($1) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(subscriber))
        .flatMap(i -> tx.preparedQuery("SELECT scan_seq FROM order_event_subscriber WHERE subscriber = $1 FOR UPDATE")
            .execute(Tuple.of(subscriber)))
        .map(rows -> rows.iterator().next().getLong("scan_seq"))
        .flatMap(scanSeq -> tx.preparedQuery("DELETE FROM order_event_delivery WHERE tenant_id = $1 "
                + "AND subscriber = $2 AND seq >= $3 AND status = 'poison'")
            .execute(Tuple.of(tenantId, subscriber, fromSeq))
            .flatMap(i -> tx.preparedQuery("""
                    INSERT INTO order_event_cursor (tenant_id, subscriber, delivered_seq, replay_until, updated_at)
                    VALUES ($1, $2, $3::bigint, CASE WHEN $4::bigint > $3::bigint THEN $4::bigint END, now())
                    ON CONFLICT (tenant_id, subscriber) DO UPDATE SET delivered_seq = EXCLUDED.delivered_seq,
                        replay_until = EXCLUDED.replay_until, updated_at = now()""")
                .execute(Tuple.of(tenantId, subscriber, fromSeq - 1, scanSeq)))
            .flatMap(i -> tx.preparedQuery("SELECT count(*) AS n FROM order_event WHERE tenant_id = $1 "
                    + "AND seq >= $2 AND seq <= $3")
                .execute(Tuple.of(tenantId, fromSeq, scanSeq)))
            .map(rows -> rows.iterator().next().getLong("n")));
  }

  Uni<Status> status(SqlClient db, String tenantId, String subscriber) {
    return db.preparedQuery("""
            SELECT coalesce(s.scan_seq, 0) AS scan_seq, coalesce(s.failures, 0) AS failures, s.next_attempt_at,
                   s.last_error, s.last_error_at, c.delivered_seq, c.replay_until,
                   (SELECT count(*) FROM order_event e WHERE e.tenant_id = $1 AND e.seq >
                        CASE WHEN c.replay_until IS NOT NULL THEN c.delivered_seq ELSE coalesce(s.scan_seq, 0) END)
                       AS unscanned,
                   (SELECT count(*) FROM order_event_delivery d WHERE d.tenant_id = $1 AND d.subscriber = $2
                        AND d.status = 'pending') AS pending,
                   (SELECT count(*) FROM order_event_delivery d WHERE d.tenant_id = $1 AND d.subscriber = $2
                        AND d.status = 'poison') AS poison,
                   (SELECT d.last_error FROM order_event_delivery d WHERE d.tenant_id = $1 AND d.subscriber = $2
                        AND d.last_error IS NOT NULL ORDER BY d.updated_at DESC LIMIT 1) AS tenant_last_error
              FROM (SELECT $2::text AS name) n
              LEFT JOIN order_event_subscriber s ON s.subscriber = n.name
              LEFT JOIN order_event_cursor c ON c.tenant_id = $1 AND c.subscriber = n.name""")
        .execute(Tuple.of(tenantId, subscriber))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new Status(r.getLong("scan_seq"), r.getInteger("failures"), r.getOffsetDateTime("next_attempt_at"),
              r.getString("last_error"), r.getOffsetDateTime("last_error_at"), r.getLong("delivered_seq"),
              r.getLong("replay_until"), r.getLong("unscanned"), r.getLong("pending"), r.getLong("poison"),
              r.getString("tenant_last_error"));
        });
  }

  Uni<List<DeliveryView>> deliveries(SqlClient db, String tenantId, String subscriber, String status, long afterSeq,
      int limit) {
    return db.preparedQuery("""
            SELECT d.subscriber, d.seq, d.event_id, e.type, e.order_no, d.status, d.attempts, d.last_status,
                   d.last_error, d.next_attempt_at, d.updated_at
              FROM order_event_delivery d JOIN order_event e ON e.tenant_id = d.tenant_id AND e.seq = d.seq
             WHERE d.tenant_id = $1 AND ($2::text IS NULL OR d.subscriber = $2) AND ($3::text IS NULL OR d.status = $3)
               AND d.seq > $4
             ORDER BY d.seq, d.subscriber LIMIT $5""")
        .execute(Tuple.from(Arrays.asList(tenantId, subscriber, status, afterSeq, limit)))
        .map(rows -> {
          List<DeliveryView> out = new ArrayList<>();
          rows.forEach(r -> out.add(new DeliveryView(r.getString("subscriber"), r.getLong("seq"), r.getUUID("event_id"),
              r.getString("type"), r.getString("order_no"), r.getString("status"), r.getInteger("attempts"),
              r.getInteger("last_status"), r.getString("last_error"),
              "poison".equals(r.getString("status")) ? null : r.getOffsetDateTime("next_attempt_at"),
              r.getOffsetDateTime("updated_at"))));
          return out;
        });
  }
}
