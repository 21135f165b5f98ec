package com.shopcrm.scoring.repository;

import com.shopcrm.scoring.service.ScoreRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * {@code customer_score}: the latest score per customer. Writes are set-based: a batch of rows goes
 * in as column arrays expanded by {@code unnest} in ONE upsert (the incremental path; a full run
 * replaces a tenant's scores by COPY instead, see {@link ScoreCopyWriter}).
 */
@ApplicationScoped
public class ScoreRepository {

  private static final String COLUMNS = """
      customer_id, recency_days, frequency, monetary, purchase_days, first_purchase_day, last_purchase_day,
      historical_value, average_order_value, r_score, f_score, m_score, rfm_segment, rfm11, lifecycle_stage, p_alive,
      expected_purchases_30d, expected_purchases_90d, expected_purchases_365d, expected_next_order_date,
      expected_avg_order_value, predicted_clv_365d, run_id, as_of, scored_at""";

  /** The stored score, or null. */
  public Uni<Row> find(SqlClient client, String tenantId, long customerId) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM customer_score WHERE tenant_id = $1 AND customer_id = $2")
        .execute(Tuple.of(tenantId, customerId))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null);
  }

  /** Writes the rows (insert or replace), all scored at {@code now}. */
  public Uni<Void> upsert(SqlClient client, String tenantId, List<ScoreRow> rows, OffsetDateTime now) {
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    int n = rows.size();
    Long[] id = new Long[n];
    Integer[] recency = new Integer[n];
    Integer[] frequency = new Integer[n];
    Double[] monetary = new Double[n];
    Integer[] days = new Integer[n];
    LocalDate[] first = new LocalDate[n];
    LocalDate[] last = new LocalDate[n];
    Double[] historical = new Double[n];
    Double[] aov = new Double[n];
    Integer[] r = new Integer[n];
    Integer[] f = new Integer[n];
    Integer[] m = new Integer[n];
    String[] segment = new String[n];
    String[] group = new String[n];
    String[] stage = new String[n];
    Double[] pAlive = new Double[n];
    Double[] e30 = new Double[n];
    Double[] e90 = new Double[n];
    Double[] e365 = new Double[n];
    LocalDate[] next = new LocalDate[n];
    Double[] eAov = new Double[n];
    Double[] clv = new Double[n];
    Long[] run = new Long[n];
    LocalDate[] asOf = new LocalDate[n];
    for (int i = 0; i < n; i++) {
      ScoreRow s = rows.get(i);
      id[i] = s.customerId();
      recency[i] = s.recencyDays();
      frequency[i] = s.frequency();
      monetary[i] = s.monetary();
      days[i] = s.purchaseDays();
      first[i] = s.firstPurchaseDay();
      last[i] = s.lastPurchaseDay();
      historical[i] = s.historicalValue();
      aov[i] = s.averageOrderValue();
      r[i] = s.rScore();
      f[i] = s.fScore();
      m[i] = s.mScore();
      segment[i] = s.rfmSegment();
      group[i] = s.rfm11();
      stage[i] = s.lifecycleStage();
      pAlive[i] = s.pAlive() == null ? null : Math.max(0, Math.min(1, s.pAlive()));
      e30[i] = s.expectedPurchases30d();
      e90[i] = s.expectedPurchases90d();
      e365[i] = s.expectedPurchases365d();
      next[i] = s.expectedNextOrderDate();
      eAov[i] = s.expectedAvgOrderValue();
      clv[i] = s.predictedClv365d();
      run[i] = s.runId();
      asOf[i] = s.asOf();
    }
    return client.preparedQuery("""
            INSERT INTO customer_score (tenant_id, %s)
            SELECT $1, t.*, $26 FROM unnest($2::bigint[], $3::int[], $4::float8[], $5::float8[], $6::int[], $7::date[],
                   $8::date[], $9::float8[], $10::float8[], $11::int[], $12::int[], $13::int[], $14::text[],
                   $15::text[], $16::text[], $17::float8[], $18::float8[], $19::float8[], $20::float8[], $21::date[],
                   $22::float8[], $23::float8[], $24::bigint[], $25::date[]) AS t
            ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
                recency_days = EXCLUDED.recency_days, frequency = EXCLUDED.frequency, monetary = EXCLUDED.monetary,
                purchase_days = EXCLUDED.purchase_days, first_purchase_day = EXCLUDED.first_purchase_day,
                last_purchase_day = EXCLUDED.last_purchase_day, historical_value = EXCLUDED.historical_value,
                average_order_value = EXCLUDED.average_order_value, r_score = EXCLUDED.r_score,
                f_score = EXCLUDED.f_score, m_score = EXCLUDED.m_score, rfm_segment = EXCLUDED.rfm_segment,
                rfm11 = EXCLUDED.rfm11, lifecycle_stage = EXCLUDED.lifecycle_stage, p_alive = EXCLUDED.p_alive,
                expected_purchases_30d = EXCLUDED.expected_purchases_30d,
                expected_purchases_90d = EXCLUDED.expected_purchases_90d,
                expected_purchases_365d = EXCLUDED.expected_purchases_365d,
                expected_next_order_date = EXCLUDED.expected_next_order_date,
                expected_avg_order_value = EXCLUDED.expected_avg_order_value,
                predicted_clv_365d = EXCLUDED.predicted_clv_365d, run_id = EXCLUDED.run_id, as_of = EXCLUDED.as_of,
                scored_at = EXCLUDED.scored_at""".formatted(COLUMNS))
        .execute(Tuple.from(Arrays.asList(tenantId, id, recency, frequency, monetary, days, first, last, historical,
            aov, r, f, m, segment, group, stage, pAlive, e30, e90, e365, next, eAov, clv, run, asOf, now)))
        .replaceWithVoid();
  }

  /** Removes the scores of customers who no longer have any counted purchase. */
  public Uni<Void> delete(SqlClient client, String tenantId, Long[] customerIds) {
    if (customerIds.length == 0) {
      return Uni.createFrom().voidItem();
    }
    return client.preparedQuery("DELETE FROM customer_score WHERE tenant_id = $1 AND customer_id = ANY($2)")
        .execute(Tuple.of(tenantId, customerIds)).replaceWithVoid();
  }
}
