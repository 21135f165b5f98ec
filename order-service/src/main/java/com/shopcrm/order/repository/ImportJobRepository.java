package com.shopcrm.order.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.order.model.ImportJobView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The {@code order_import} jobs: created queued, progress committed with each chunk, then finished. */
@ApplicationScoped
public class ImportJobRepository {

  /** What a runner needs to (re)start a job. */
  public record Job(String tenantId, UUID id, String format, String charset, String spoolPath, long committedLine,
      long storedErrors, String status) {
  }

  /** One committed chunk's counts. */
  public record Progress(long rowsTotal, long rowsImported, long rowsDuplicate, long rowsRejected,
      long ordersImported, String errorsJson, long committedLine, long bytesRead) {
  }

  private static final String VIEW = """
      id, status, format, charset, rows_total, rows_imported, rows_duplicate, rows_rejected, orders_imported,
      errors::text AS errors, bytes_total, bytes_read, failure, created_by, created_at, started_at, finished_at""";

  private static final String JOB = """
      tenant_id, id, format, charset, spool_path, committed_line, jsonb_array_length(errors) AS stored_errors,
      status""";

  private final ObjectMapper mapper;

  ImportJobRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public Uni<ImportJobView> create(SqlClient client, String tenantId, UUID id, String format, String charset,
      long bytes, String spoolPath, String createdBy, OffsetDateTime now) {
    return client.preparedQuery("""
            INSERT INTO order_import (tenant_id, id, format, status, charset, bytes_total, spool_path, created_by,
                created_at, updated_at)
            VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8, $8)
            RETURNING\s""" + VIEW)
        .execute(Tuple.from(Arrays.asList(tenantId, id, format, charset, bytes, spoolPath, createdBy, now)))
        .map(rows -> view(rows.iterator().next()));
  }

  public Uni<ImportJobView> find(SqlClient client, String tenantId, UUID id) {
    return client.preparedQuery("SELECT " + VIEW + " FROM order_import WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
  }

  public Uni<Job> job(SqlClient client, String tenantId, UUID id) {
    return client.preparedQuery("SELECT " + JOB + " FROM order_import WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> rows.size() == 0 ? null : job(rows.iterator().next()));
  }

  /** Jobs of every tenant that did not finish (startup resumes or fails them). */
  public Uni<List<Job>> unfinished(SqlClient client) {
    return client.preparedQuery("SELECT " + JOB + " FROM order_import WHERE status IN ('queued', 'running') "
            + "ORDER BY created_at")
        .execute()
        .map(rows -> {
          List<Job> out = new ArrayList<>();
          rows.forEach(r -> out.add(job(r)));
          return out;
        });
  }

  public Uni<Void> markRunning(SqlClient client, String tenantId, UUID id, OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE order_import SET status = 'running', started_at = coalesce(started_at, $3), updated_at = $3
             WHERE tenant_id = $1 AND id = $2 AND status IN ('queued', 'running')""")
        .execute(Tuple.of(tenantId, id, now))
        .replaceWithVoid();
  }

  /**
   * Adds a chunk's counts and moves the resume point, on the chunk's own transaction. False when
   * the job is no longer running (the caller then rolls the chunk back).
   */
  public Uni<Boolean> commitChunk(SqlClient tx, String tenantId, UUID id, Progress p, OffsetDateTime now) {
    return tx.preparedQuery("""
            UPDATE order_import SET rows_total = rows_total + $3, rows_imported = rows_imported + $4,
                   rows_duplicate = rows_duplicate + $5, rows_rejected = rows_rejected + $6,
                   orders_imported = orders_imported + $7, errors = errors || $8::text::jsonb, committed_line = $9,
                   bytes_read = $10, chunks_committed = chunks_committed + 1, updated_at = $11
             WHERE tenant_id = $1 AND id = $2 AND status = 'running'""")
        .execute(Tuple.from(Arrays.asList(tenantId, id, p.rowsTotal(), p.rowsImported(), p.rowsDuplicate(),
            p.rowsRejected(), p.ordersImported(), p.errorsJson(), p.committedLine(), p.bytesRead(), now)))
        .map(rows -> rows.rowCount() == 1);
  }

  public Uni<Void> complete(SqlClient client, String tenantId, UUID id, OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE order_import SET status = 'completed', bytes_read = bytes_total, spool_path = NULL,
                   finished_at = $3, updated_at = $3
             WHERE tenant_id = $1 AND id = $2""")
        .execute(Tuple.of(tenantId, id, now))
        .replaceWithVoid();
  }

  public Uni<Void> fail(SqlClient client, String tenantId, UUID id, String reason, OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE order_import SET status = 'failed', failure = $3, spool_path = NULL, finished_at = $4,
                   updated_at = $4
             WHERE tenant_id = $1 AND id = $2 AND status IN ('queued', 'running')""")
        .execute(Tuple.of(tenantId, id, reason, now))
        .replaceWithVoid();
  }

  private static Job job(Row r) {
    return new Job(r.getString("tenant_id"), r.getUUID("id"), r.getString("format"), r.getString("charset"),
        r.getString("spool_path"), r.getLong("committed_line"), r.getInteger("stored_errors"), r.getString("status"));
  }

  private ImportJobView view(Row r) {
    try {
      return new ImportJobView(r.getUUID("id"), r.getString("status"), r.getString("format"), r.getString("charset"),
          r.getLong("rows_total"), r.getLong("rows_imported"), r.getLong("rows_duplicate"),
          r.getLong("rows_rejected"), r.getLong("orders_imported"), mapper.readTree(r.getString("errors")),
          r.getLong("bytes_total"), r.getLong("bytes_read"), r.getString("failure"), r.getString("created_by"),
          r.getOffsetDateTime("created_at"), r.getOffsetDateTime("started_at"), r.getOffsetDateTime("finished_at"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable import errors", e);
    }
  }
}
