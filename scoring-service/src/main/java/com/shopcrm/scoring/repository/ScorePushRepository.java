package com.shopcrm.scoring.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What is still to be pushed to campaign-service (V6 migration): the outbox of customers rescored
 * by order events, and one cursor per tenant over its latest full run's scores. Plain SQL on the
 * reactive client; the run's cursor is written on the run's JDBC connection, in the transaction
 * that swaps its scores in.
 */
@ApplicationScoped
public class ScorePushRepository {

  /** One customer's profile fields for campaign-service; all but the id null when the customer has no score. */
  public record ScoreProfile(long customerId, String rfmSegment, String rfm11, String lifecycleStage, Double pAlive,
      BigDecimal predictedClv365d, Integer frequency, BigDecimal monetary, Integer recencyDays,
      OffsetDateTime lastOrderAt, LocalDate expectedNextOrderDate) {
  }

  /** A full run's push still under way. */
  public record RunPush(String tenantId, long runId, long afterCustomerId, int pushed) {
  }

  /** An outbox entry. */
  public record Queued(long customerId, OffsetDateTime queuedAt) {
  }

  // The last counted order's time on the last purchase day (the score keeps the day only): one
  // index probe per customer (purchase_fact_customer_idx).
  private static final String PROFILE_COLUMNS = """
      s.rfm_segment, s.rfm11, s.lifecycle_stage, s.p_alive, s.predicted_clv_365d, s.frequency, s.monetary,
      s.recency_days, s.expected_next_order_date,
      (SELECT max(f.ordered_at) FROM purchase_fact f
        WHERE f.tenant_id = s.tenant_id AND f.customer_id = s.customer_id AND f.purchase_day = s.last_purchase_day
          AND f.counted) AS last_order_at""";

  /** Queues the customers' current scores for a push (in the rescoring's transaction). */
  public Uni<Void> enqueue(SqlClient tx, String tenantId, Long[] customerIds) {
    if (customerIds.length == 0) {
      return Uni.createFrom().voidItem();
    }
    return tx.preparedQuery("""
            INSERT INTO score_push_outbox (tenant_id, customer_id, queued_at, next_attempt_at)
            SELECT $1, id, clock_timestamp(), clock_timestamp() FROM unnest($2::bigint[]) AS t(id) ORDER BY id
            ON CONFLICT (tenant_id, customer_id) DO UPDATE SET queued_at = EXCLUDED.queued_at, attempts = 0,
                next_attempt_at = EXCLUDED.next_attempt_at, last_error = NULL""")
        .execute(Tuple.of(tenantId, customerIds))
        .replaceWithVoid();
  }

  /** Starts the push of a full run's scores (on the run's connection, before it commits its scores). */
  public void startRunPush(Connection c, String tenantId, long runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("""
        INSERT INTO score_push_run (tenant_id, run_id, after_customer_id, next_attempt_at)
        VALUES (?, ?, -9223372036854775808, now())
        ON CONFLICT (tenant_id) DO UPDATE SET run_id = EXCLUDED.run_id, after_customer_id = EXCLUDED.after_customer_id,
            pushed = 0, attempts = 0, next_attempt_at = EXCLUDED.next_attempt_at, last_error = NULL,
            finished_at = NULL""")) {
      ps.setString(1, tenantId);
      ps.setLong(2, runId);
      ps.executeUpdate();
    }
  }

  /** Full runs' pushes due now (their run completed, not finished, not waiting for a retry). */
  public Uni<List<RunPush>> dueRuns(SqlClient client) {
    return client.query("""
            SELECT p.tenant_id, p.run_id, p.after_customer_id, p.pushed
              FROM score_push_run p
              JOIN scoring_run r ON r.tenant_id = p.tenant_id AND r.id = p.run_id AND r.status = 'completed'
             WHERE p.finished_at IS NULL AND p.next_attempt_at <= now()
             ORDER BY p.next_attempt_at""")
        .execute()
        .map(rows -> {
          List<RunPush> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new RunPush(r.getString("tenant_id"), r.getLong("run_id"), r.getLong("after_customer_id"),
                r.getInteger("pushed")));
          }
          return out;
        });
  }

  /** The next scores of the tenant after the cursor, in customer id order. */
  public Uni<List<ScoreProfile>> scoresAfter(SqlClient client, String tenantId, long afterCustomerId, int limit) {
    return client.preparedQuery("SELECT s.customer_id, " + PROFILE_COLUMNS + """

              FROM customer_score s WHERE s.tenant_id = $1 AND s.customer_id > $2 ORDER BY s.customer_id LIMIT $3""")
        .execute(Tuple.of(tenantId, afterCustomerId, limit))
        .map(ScorePushRepository::profiles);
  }

  /** The given customers' current scores (a customer without one: all fields null, so they are cleared). */
  public Uni<List<ScoreProfile>> scoresOf(SqlClient client, String tenantId, Long[] customerIds) {
    return client.preparedQuery("SELECT q.customer_id, " + PROFILE_COLUMNS + """

              FROM unnest($2::bigint[]) AS q(customer_id)
              LEFT JOIN customer_score s ON s.tenant_id = $1 AND s.customer_id = q.customer_id
             ORDER BY q.customer_id""")
        .execute(Tuple.of(tenantId, customerIds))
        .map(ScorePushRepository::profiles);
  }

  /** Moves the run's cursor after a pushed batch (nothing when a newer run replaced it). */
  public Uni<Void> advanceRun(SqlClient client, String tenantId, long runId, long lastCustomerId, int count,
      boolean finished) {
    return client.preparedQuery("""
            UPDATE score_push_run SET after_customer_id = $3, pushed = pushed + $4, attempts = 0, last_error = NULL,
                   finished_at = CASE WHEN $5 THEN now() END
             WHERE tenant_id = $1 AND run_id = $2""")
        .execute(Tuple.from(Arrays.asList(tenantId, runId, lastCustomerId, count, finished)))
        .replaceWithVoid();
  }

  /** Records a failed batch of a run's push and when to try again. */
  public Uni<Void> runFailed(SqlClient client, String tenantId, long runId, String error, Duration initial,
      Duration max) {
    return client.preparedQuery("""
            UPDATE score_push_run SET attempts = attempts + 1, last_error = $3,
                   next_attempt_at = now() + make_interval(secs => least($5, $4 * power(2, attempts)))
             WHERE tenant_id = $1 AND run_id = $2""")
        .execute(Tuple.from(Arrays.asList(tenantId, runId, error, seconds(initial), seconds(max))))
        .replaceWithVoid();
  }

  /** Tenants with outbox entries due now. */
  public Uni<List<String>> dueOutboxTenants(SqlClient client) {
    return client.query("SELECT DISTINCT tenant_id FROM score_push_outbox WHERE next_attempt_at <= now()")
        .execute()
        .map(rows -> {
          List<String> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getString("tenant_id")));
          return out;
        });
  }

  /** Up to {@code limit} of the tenant's due outbox entries. */
  public Uni<List<Queued>> dueOutbox(SqlClient client, String tenantId, int limit) {
    return client.preparedQuery("""
            SELECT customer_id, queued_at FROM score_push_outbox
             WHERE tenant_id = $1 AND next_attempt_at <= now() ORDER BY customer_id LIMIT $2""")
        .execute(Tuple.of(tenantId, limit))
        .map(rows -> {
          List<Queued> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Queued(r.getLong("customer_id"), r.getOffsetDateTime("queued_at"))));
          return out;
        });
  }

  /** Removes pushed entries, except those queued again since they were read. */
  public Uni<Void> delivered(SqlClient client, String tenantId, List<Queued> pushed) {
    return client.preparedQuery("""
            DELETE FROM score_push_outbox o USING unnest($2::bigint[], $3::timestamptz[]) AS p(customer_id, queued_at)
             WHERE o.tenant_id = $1 AND o.customer_id = p.customer_id AND o.queued_at = p.queued_at""")
        .execute(Tuple.of(tenantId, pushed.stream().map(Queued::customerId).toArray(Long[]::new),
            pushed.stream().map(Queued::queuedAt).toArray(OffsetDateTime[]::new)))
        .replaceWithVoid();
  }

  /** Records a failed push of outbox entries and when to try them again. */
  public Uni<Void> outboxFailed(SqlClient client, String tenantId, Long[] customerIds, String error, Duration initial,
      Duration max) {
    return client.preparedQuery("""
            UPDATE score_push_outbox SET attempts = attempts + 1, last_error = $3,
                   next_attempt_at = now() + make_interval(secs => least($5, $4 * power(2, attempts)))
             WHERE tenant_id = $1 AND customer_id = ANY($2)""")
        .execute(Tuple.from(Arrays.asList(tenantId, customerIds, error, seconds(initial), seconds(max))))
        .replaceWithVoid();
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static List<ScoreProfile> profiles(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
    List<ScoreProfile> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new ScoreProfile(r.getLong("customer_id"), r.getString("rfm_segment"), r.getString("rfm11"),
          r.getString("lifecycle_stage"), r.getDouble("p_alive"), r.getBigDecimal("predicted_clv_365d"),
          r.getInteger("frequency"), r.getBigDecimal("monetary"), r.getInteger("recency_days"),
          r.getOffsetDateTime("last_order_at"), r.getLocalDate("expected_next_order_date")));
    }
    return out;
  }
}
