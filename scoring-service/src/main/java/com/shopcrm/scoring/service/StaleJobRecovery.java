package com.shopcrm.scoring.service;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * At start, scoring runs and resync jobs still {@code queued} or {@code running} belong to a
 * process that is gone (their worker threads died with it): they are marked {@code failed} with
 * the reason, so pollers see an end and the tenant may start a new run (at most one is active).
 * Assumes one scoring-service process per database, as deployed (runs are in-process jobs).
 */
@ApplicationScoped
public class StaleJobRecovery {

  /** What a start found and marked failed. */
  public record Recovered(int runs, int resyncs) {
  }

  private final Pool pool;
  private final Clock clock;

  StaleJobRecovery(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  void onStart(@Observes StartupEvent event) {
    Recovered r = recover();
    if (r.runs() > 0 || r.resyncs() > 0) {
      Log.warnf("marked %d scoring run(s) and %d resync job(s) failed: interrupted by a restart", r.runs(),
          r.resyncs());
    }
  }

  /** Marks every queued or running run and resync failed; answers how many. */
  public Recovered recover() {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    String reason = "interrupted: scoring-service restarted at " + now + " while the job was ";
    int runs = pool.preparedQuery("""
            UPDATE scoring_run SET status = 'failed', error = $1 || status, finished_at = $2
             WHERE status IN ('queued', 'running')""")
        .execute(Tuple.of(reason, now)).await().atMost(Duration.ofMinutes(1)).rowCount();
    int resyncs = pool.preparedQuery("""
            UPDATE resync_job SET status = 'failed', error = $1 || status, finished_at = $2
             WHERE status IN ('queued', 'running')""")
        .execute(Tuple.of(reason, now)).await().atMost(Duration.ofMinutes(1)).rowCount();
    return new Recovered(runs, resyncs);
  }
}
