package com.shopcrm.scoring.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;

/** {@code resync_job}: backfills of purchase facts from order-service's event replay. */
@ApplicationScoped
public class ResyncRepository {

  /** A resync job as {@code GET /api/v1/scoring/resync/{id}} answers it. */
  public record ResyncView(long id, String status, long afterSeq, int eventsReceived, int eventsApplied, String error,
      OffsetDateTime createdAt, OffsetDateTime finishedAt) {
  }

  public Uni<Long> insert(SqlClient client, String tenantId, long afterSeq, OffsetDateTime now) {
    return client.preparedQuery("""
            INSERT INTO resync_job (tenant_id, status, after_seq, created_at) VALUES ($1, 'running', $2, $3)
            RETURNING id""")
        .execute(Tuple.of(tenantId, afterSeq, now)).map(rows -> rows.iterator().next().getLong("id"));
  }

  public Uni<ResyncView> find(SqlClient client, String tenantId, long id) {
    return client.preparedQuery("""
            SELECT id, status, after_seq, events_received, events_applied, error, created_at, finished_at
              FROM resync_job WHERE tenant_id = $1 AND id = $2""")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> {
          if (!rows.iterator().hasNext()) {
            return null;
          }
          Row r = rows.iterator().next();
          return new ResyncView(r.getLong("id"), r.getString("status"), r.getLong("after_seq"),
              r.getInteger("events_received"), r.getInteger("events_applied"), r.getString("error"),
              r.getOffsetDateTime("created_at"), r.getOffsetDateTime("finished_at"));
        });
  }

  /** Progress after a page: the position to resume from and the counts so far. */
  public Uni<Void> progress(SqlClient client, String tenantId, long id, long afterSeq, int received, int applied) {
    return client.preparedQuery("""
            UPDATE resync_job SET after_seq = $3, events_received = events_received + $4,
                   events_applied = events_applied + $5 WHERE tenant_id = $1 AND id = $2""")
        .execute(Tuple.of(tenantId, id, afterSeq, received, applied)).replaceWithVoid();
  }

  public Uni<Void> finish(SqlClient client, String tenantId, long id, String status, String error,
      OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE resync_job SET status = $3, error = $4, finished_at = $5 WHERE tenant_id = $1 AND id = $2""")
        .execute(Tuple.from(Arrays.asList(tenantId, id, status, error, now))).replaceWithVoid();
  }
}
