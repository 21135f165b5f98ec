package com.shopcrm.order.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The highest outbox {@code seq} below which no event can still appear: the gap-safe end of a scan.
 *
 * <p>Why it is needed: {@code seq} is taken from the identity sequence when the event row is
 * inserted, but becomes visible when its transaction commits. A transaction that took seq 10 and
 * commits after another one that took seq 11 makes 10 appear after 11 was read; a scan that had
 * moved its position to 11 would never deliver 10. Waiting a fixed "2 seconds" only makes that
 * unlikely (an import chunk or a slow commit can take longer). Gaps that never fill (rolled back
 * transactions) are normal too, so "stop at the first gap" would stall forever.
 *
 * <p>How: a checkpoint is (L = the sequence's last value, X = the xmax of a snapshot taken after L
 * was read). Every seq up to L had been handed out when L was read, to a transaction whose xid is
 * below X — an event is never its transaction's first write (the order row is written first, so
 * the transaction had its xid before it drew the seq). Once a later snapshot's xmin reaches X, all
 * those transactions have committed or rolled back: every event with seq <= L that will ever exist
 * is visible, and seq <= L is safe to scan without waiting for gaps. Each dispatcher run settles the
 * previous checkpoint and takes the next one, so the frontier trails the newest event by about one
 * run (one second), or for as long as the oldest open transaction of the database server is open.
 * The state is per process (recomputed after a restart within two runs); replicas each keep their own.
 */
@ApplicationScoped
public class OutboxFrontier {

  private record Checkpoint(long seq, long xmax) {
  }

  private volatile Checkpoint pending;
  private volatile long safeSeq;

  /** Settles the previous checkpoint if it can and takes the next; the current safe seq. */
  public Uni<Long> advance(SqlClient db) {
    return db.query("SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('order_event', 'seq')::regclass),"
            + " 0) AS last").execute()
        .map(rows -> rows.iterator().next().getLong("last"))
        .flatMap(last -> db.query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, "
                + "pg_snapshot_xmax(pg_current_snapshot())::text AS xmax").execute()
            .map(rows -> {
              var row = rows.iterator().next();
              long xmin = Long.parseLong(row.getString("xmin"));
              long xmax = Long.parseLong(row.getString("xmax"));
              Checkpoint previous = pending;
              if (previous != null && xmin >= previous.xmax()) {
                safeSeq = Math.max(safeSeq, previous.seq());
                previous = null;
              }
              if (previous == null) {
                pending = new Checkpoint(last, xmax);
              }
              return safeSeq;
            }));
  }

  public long safeSeq() {
    return safeSeq;
  }
}
