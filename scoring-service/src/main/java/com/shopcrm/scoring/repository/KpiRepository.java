package com.shopcrm.scoring.repository;

import com.shopcrm.scoring.model.RfmGroup;
import com.shopcrm.scoring.model.RfmSegment;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** KPIs over the scores and purchase facts, each one SQL aggregate scoped to the tenant. */
@ApplicationScoped
public class KpiRepository {

  public record SegmentShare(String segment, String labelZh, String labelEn, long customers, double revenue,
      double revenueShare) {
  }

  public record GroupCount(String group, String labelZh, String labelEn, long customers) {
  }

  public record RfmDistribution(long customers, double revenue, List<SegmentShare> segments, List<GroupCount> groups) {
  }

  public record ClvBucket(double from, double to, long customers) {
  }

  public record ClvDistribution(long customers, Double min, Double max, Double mean, double total,
      List<ClvBucket> buckets) {
  }

  public record Retention(LocalDate from, LocalDate to, LocalDate previousFrom, long customers, long repeatCustomers,
      Double repurchaseRate, long previousCustomers, long retainedCustomers, Double retentionRate, Double churnRate) {
  }

  public record Cohort(String cohort, long customers, List<Long> active, List<Double> retention) {
  }

  public Uni<RfmDistribution> rfm(SqlClient client, String tenantId) {
    return client.preparedQuery("""
            SELECT 's' AS kind, rfm_segment AS k, count(*) AS n, coalesce(sum(historical_value), 0)::float8 AS revenue
              FROM customer_score WHERE tenant_id = $1 AND rfm_segment IS NOT NULL GROUP BY rfm_segment
            UNION ALL
            SELECT 'g', rfm11, count(*), 0 FROM customer_score WHERE tenant_id = $1 AND rfm11 IS NOT NULL GROUP BY rfm11
            UNION ALL
            SELECT 't', NULL, count(*), coalesce(sum(historical_value), 0)::float8 FROM customer_score
             WHERE tenant_id = $1""")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          Map<String, double[]> segments = new LinkedHashMap<>();
          Map<String, Long> groups = new LinkedHashMap<>();
          long customers = 0;
          double revenue = 0;
          for (Row r : rows) {
            switch (r.getString("kind")) {
              case "s" -> segments.put(r.getString("k"), new double[] {r.getLong("n"), r.getDouble("revenue")});
              case "g" -> groups.put(r.getString("k"), r.getLong("n"));
              default -> {
                customers = r.getLong("n");
                revenue = r.getDouble("revenue");
              }
            }
          }
          List<SegmentShare> segmentList = new ArrayList<>();
          for (RfmSegment s : RfmSegment.values()) {
            double[] v = segments.getOrDefault(s.id(), new double[2]);
            segmentList.add(new SegmentShare(s.id(), s.labelZh(), s.labelEn(), (long) v[0], v[1],
                revenue == 0 ? 0 : v[1] / revenue));
          }
          List<GroupCount> groupList = new ArrayList<>();
          for (RfmGroup g : RfmGroup.values()) {
            groupList.add(new GroupCount(g.id(), g.labelZh(), g.labelEn(), groups.getOrDefault(g.id(), 0L)));
          }
          return new RfmDistribution(customers, revenue, segmentList, groupList);
        });
  }

  public Uni<ClvDistribution> clv(SqlClient client, String tenantId, int buckets) {
    return client.preparedQuery("""
            WITH s AS (SELECT predicted_clv_365d::float8 AS v FROM customer_score
                        WHERE tenant_id = $1 AND predicted_clv_365d IS NOT NULL),
                 b AS (SELECT min(v) AS lo, max(v) AS hi, avg(v) AS mean, sum(v) AS total, count(*) AS n FROM s)
            SELECT b.lo, b.hi, b.mean, b.total, b.n,
                   CASE WHEN b.hi > b.lo THEN least(width_bucket(s.v, b.lo, b.hi, $2), $2) ELSE 1 END AS bucket,
                   count(s.v) AS customers
              FROM b LEFT JOIN s ON true
             GROUP BY b.lo, b.hi, b.mean, b.total, b.n, bucket ORDER BY bucket""")
        .execute(Tuple.of(tenantId, buckets))
        .map(rows -> {
          long[] counts = new long[buckets];
          Double lo = null;
          Double hi = null;
          Double mean = null;
          double total = 0;
          long n = 0;
          for (Row r : rows) {
            lo = r.getDouble("lo");
            hi = r.getDouble("hi");
            mean = r.getDouble("mean");
            total = r.getDouble("total") == null ? 0 : r.getDouble("total");
            n = r.getLong("n");
            Integer bucket = r.getInteger("bucket");
            if (bucket != null && n > 0) {
              counts[Math.max(1, Math.min(buckets, bucket)) - 1] += r.getLong("customers");
            }
          }
          List<ClvBucket> out = new ArrayList<>();
          if (n > 0) {
            double width = (hi - lo) / buckets;
            for (int i = 0; i < buckets; i++) {
              out.add(new ClvBucket(lo + i * width, i == buckets - 1 ? hi : lo + (i + 1) * width, counts[i]));
            }
          }
          return new ClvDistribution(n, lo, hi, mean, total, out);
        });
  }

  /**
   * Customers buying in [from, to], those with two or more purchase days in it (repurchase), and
   * of the customers of the equally long period before, those who bought again in [from, to]
   * (retention; churn = 1 - retention). Counted purchases of known customers only.
   */
  public Uni<Retention> retention(SqlClient client, String tenantId, LocalDate from, LocalDate to) {
    LocalDate previousFrom = from.minusDays(to.toEpochDay() - from.toEpochDay() + 1);
    return client.preparedQuery("""
            WITH cur AS (SELECT customer_id, count(DISTINCT purchase_day) AS days FROM purchase_fact
                          WHERE tenant_id = $1 AND counted AND customer_id IS NOT NULL
                            AND purchase_day BETWEEN $2 AND $3 GROUP BY customer_id),
                 prev AS (SELECT DISTINCT customer_id FROM purchase_fact
                           WHERE tenant_id = $1 AND counted AND customer_id IS NOT NULL
                             AND purchase_day >= $4 AND purchase_day < $2)
            SELECT (SELECT count(*) FROM cur) AS customers, (SELECT count(*) FROM cur WHERE days >= 2) AS repeaters,
                   (SELECT count(*) FROM prev) AS previous,
                   (SELECT count(*) FROM prev JOIN cur USING (customer_id)) AS retained""")
        .execute(Tuple.of(tenantId, from, to, previousFrom))
        .map(rows -> {
          Row r = rows.iterator().next();
          long customers = r.getLong("customers");
          long repeaters = r.getLong("repeaters");
          long previous = r.getLong("previous");
          long retained = r.getLong("retained");
          Double retention = previous == 0 ? null : retained / (double) previous;
          return new Retention(from, to, previousFrom, customers, repeaters,
              customers == 0 ? null : repeaters / (double) customers, previous, retained, retention,
              retention == null ? null : 1 - retention);
        });
  }

  /** Monthly acquisition cohorts (month of the first counted purchase) × months since: active customers. */
  public Uni<List<Cohort>> cohorts(SqlClient client, String tenantId, int months) {
    return client.preparedQuery("""
            WITH f AS (SELECT customer_id, date_trunc('month', purchase_day)::date AS month FROM purchase_fact
                        WHERE tenant_id = $1 AND counted AND customer_id IS NOT NULL GROUP BY 1, 2),
                 c AS (SELECT customer_id, min(month) AS cohort FROM f GROUP BY customer_id),
                 m AS (SELECT f.customer_id, c.cohort,
                              ((extract(year FROM f.month) - extract(year FROM c.cohort)) * 12
                                + extract(month FROM f.month) - extract(month FROM c.cohort))::int AS k
                         FROM f JOIN c USING (customer_id))
            SELECT to_char(cohort, 'YYYY-MM') AS cohort, k, count(*) AS active
              FROM m WHERE k < $2
             GROUP BY cohort, k
             ORDER BY cohort, k""")
        .execute(Tuple.of(tenantId, months))
        .map(rows -> {
          Map<String, Long[]> byCohort = new LinkedHashMap<>();
          for (Row r : rows) {
            Long[] active = byCohort.computeIfAbsent(r.getString("cohort"), k -> {
              Long[] a = new Long[months];
              Arrays.fill(a, 0L);
              return a;
            });
            active[r.getInteger("k")] = r.getLong("active");
          }
          List<Cohort> out = new ArrayList<>();
          for (Map.Entry<String, Long[]> e : byCohort.entrySet()) {
            long size = e.getValue()[0];
            List<Double> retention = new ArrayList<>();
            for (Long a : e.getValue()) {
              retention.add(size == 0 ? 0 : a / (double) size);
            }
            out.add(new Cohort(e.getKey(), size, List.of(e.getValue()), retention));
          }
          return out;
        });
  }
}
