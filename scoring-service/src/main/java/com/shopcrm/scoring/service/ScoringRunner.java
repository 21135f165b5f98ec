package com.shopcrm.scoring.service;

import com.shopcrm.scoring.config.ScoringConfig;
import com.shopcrm.scoring.model.AggregatedSummaries;
import com.shopcrm.scoring.model.BgNbdModel;
import com.shopcrm.scoring.model.ClvCalculator;
import com.shopcrm.scoring.model.CustomerSummary;
import com.shopcrm.scoring.model.GammaGammaModel;
import com.shopcrm.scoring.model.ModelTimeUnit;
import com.shopcrm.scoring.repository.CustomerTotalsRepository;
import com.shopcrm.scoring.repository.RecommendationRepository;
import com.shopcrm.scoring.repository.RunRepository;
import com.shopcrm.scoring.repository.ScoreCopyWriter;
import io.quarkus.logging.Log;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Executes one scoring run on a worker thread (blocking there, never on an event loop), on one
 * JDBC connection (see {@link CustomerTotalsRepository} for why JDBC). The purchase facts are read
 * ONCE: one streamed aggregate query gives every customer's totals (purchase days, first and last
 * day, value sums; as of and up to the calibration end; the holdout days), kept in primitive
 * columns (about 60 MB for a million customers, never an order in memory). From them:
 *
 * <ol>
 *   <li>the calibration summaries (x, t_x, T, monetary) for the BG/NBD and Gamma-Gamma fits and
 *       the holdout report, then dropped;</li>
 *   <li>the RFM breakpoints and the tenant's typical gap;</li>
 *   <li>every customer's score with {@link CustomerScorer} (the same code as the incremental
 *       path; the expectations that depend on (x, T) only are computed once per pair), streamed
 *       by binary COPY into the tenant's scores, replaced in one transaction
 *       ({@link ScoreCopyWriter}).</li>
 * </ol>
 *
 * <p>At 1,000,000 customers this replaced two keyset passes over the facts and a million upserts
 * (52.8 s, 459 MB RSS; bench/scoring-run/README.md has the figures).
 */
@ApplicationScoped
public class ScoringRunner {

  /** Fewer customers than this in the calibration period: no model is fitted (the run notes it). */
  static final int MIN_CUSTOMERS_TO_FIT = 20;
  private static final Duration DB_WAIT = Duration.ofMinutes(5);

  private final Pool pool;
  private final DataSource dataSource;
  private final CustomerTotalsRepository customerTotals;
  private final RunRepository runs;
  private final Clock clock;
  private final ScoringConfig config;
  private final RecommendationService recommendations;

  ScoringRunner(Pool pool, DataSource dataSource, CustomerTotalsRepository customerTotals, RunRepository runs,
      Clock clock, ScoringConfig config, RecommendationService recommendations) {
    this.recommendations = recommendations;
    this.pool = pool;
    this.dataSource = dataSource;
    this.customerTotals = customerTotals;
    this.runs = runs;
    this.clock = clock;
    this.config = config;
  }

  /** Runs the job to completion or failure; never throws. */
  public void execute(String tenantId, long runId) {
    try {
      RunRepository.Params params = runs.params(pool, tenantId, runId).await().atMost(DB_WAIT);
      OffsetDateTime started = now();
      runs.markRunning(pool, tenantId, runId, started).await().atMost(DB_WAIT);
      RunRepository.Result result = run(tenantId, runId, params, started);
      runs.complete(pool, tenantId, runId, result, now()).await().atMost(DB_WAIT);
      Log.infof("scoring run %d of %s completed: %d customers scored", runId, tenantId, result.customersScored());
    } catch (RuntimeException | Error e) {
      Log.errorf(e, "scoring run %d of %s failed", runId, tenantId);
      try {
        runs.fail(pool, tenantId, runId, String.valueOf(e.getMessage()), now()).await().atMost(DB_WAIT);
      } catch (RuntimeException again) {
        Log.errorf(again, "could not mark scoring run %d failed", runId);
      }
    }
  }

  private RunRepository.Result run(String tenantId, long runId, RunRepository.Params p, OffsetDateTime started) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        return run(c, tenantId, runId, p, started);
      } finally {
        if (!c.getAutoCommit()) {
          c.rollback(); // nothing uncommitted survives a failure
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("scoring run database error: " + e.getMessage(), e);
    }
  }

  private RunRepository.Result run(Connection c, String tenantId, long runId, RunRepository.Params p,
      OffsetDateTime started) throws SQLException {
    ModelTimeUnit unit = p.unit();
    LocalDate asOf = p.asOf();
    LocalDate fitEnd = p.calibrationEnd() != null ? p.calibrationEnd() : asOf;
    List<String> notes = new ArrayList<>();

    long t0 = System.nanoTime();
    // ---- the one read: every customer's totals, aggregated by PostgreSQL, kept in primitive columns
    long holdoutDays = p.calibrationEnd() == null ? 0 : ChronoUnit.DAYS.between(p.calibrationEnd(), asOf);
    long[] actualByWeek = new long[(int) ((holdoutDays + 6) / 7)];
    CustomerTotals totals = new CustomerTotals(p.calibrationEnd() != null);
    int fitEndDay = (int) fitEnd.toEpochDay();
    customerTotals.stream(c, tenantId, asOf, fitEnd, (id, days, first, last, total, repeat, calDays, calLast,
        calRepeat, holdout) -> {
      int actual = 0;
      if (calDays > 0) {
        for (int day : holdout) {
          actual++;
          actualByWeek[(day - fitEndDay - 1) / 7]++;
        }
      }
      totals.add(id, days, first, last, total, repeat, calDays, calLast, calRepeat, actual);
    });
    c.commit();
    int customers = totals.size();
    long t1 = System.nanoTime();

    // ---- fit on the calibration cohort's (x, t_x, T) rows and (x, monetary) columns, in customer id
    // order as before; no object per customer (the heap must hold a million customers in 256 MB)
    int calibrationCustomers = 0;
    int repeatBuyers = 0;
    for (int i = 0; i < customers; i++) {
      if (totals.calDays[i] > 0) {
        calibrationCustomers++;
        repeatBuyers += totals.calDays[i] > 1 ? 1 : 0;
      }
    }
    BgNbdModel bg = null;
    RunView.BgNbdParams bgParams = null;
    GammaGammaModel gg = null;
    RunView.GammaGammaParams ggParams = null;
    if (calibrationCustomers < MIN_CUSTOMERS_TO_FIT) {
      notes.add("models not fitted: " + calibrationCustomers + " customers up to " + fitEnd + " (at least "
          + MIN_CUSTOMERS_TO_FIT + " needed)");
    } else {
      try {
        long fitStart = System.nanoTime();
        AggregatedSummaries rows = calibrationRows(totals, fitEndDay, unit);
        long collapsed = System.nanoTime();
        BgNbdModel.Fit fit = BgNbdModel.fit(rows);
        Log.infof("scoring run %d: BG/NBD rows collapsed in %d ms, fitted in %d ms (%d evaluations)", runId,
            (collapsed - fitStart) / 1_000_000, (System.nanoTime() - collapsed) / 1_000_000, fit.evaluations());
        bg = fit.model();
        bgParams = new RunView.BgNbdParams(bg.r(), bg.alpha(), bg.a(), bg.b(), fit.logLikelihood(), fit.customers(),
            fit.distinctRows(), fit.onBoundary());
        if (fit.onBoundary()) {
          notes.add("BG/NBD optimum on the search boundary: parameters are not well identified by these data");
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        notes.add("BG/NBD not fitted: " + e.getMessage());
      }
      if (bg != null) {
        try {
          GammaGammaModel.Fit fit = fitGammaGamma(totals, calibrationCustomers);
          gg = fit.model();
          ggParams = new RunView.GammaGammaParams(gg.p(), gg.q(), gg.gamma(), fit.logLikelihood(), fit.customers(),
              fit.onBoundary());
          if (fit.onBoundary()) {
            notes.add("Gamma-Gamma optimum on the search boundary (spend hardly varies within customers): "
                + "expected values usable, parameters not interpretable");
          }
        } catch (IllegalArgumentException | IllegalStateException e) {
          notes.add("Gamma-Gamma not fitted: " + e.getMessage());
        }
      }
    }
    long t2 = System.nanoTime();
    HoldoutReport holdout = p.calibrationEnd() == null || bg == null ? null
        : holdout(bg, unit, p.calibrationEnd(), asOf, holdoutDays, totals, fitEndDay, calibrationCustomers,
            actualByWeek);
    if (p.calibrationEnd() != null && bg == null) {
      notes.add("no holdout report: no model was fitted");
    }
    long t3 = System.nanoTime();

    // ---- RFM breakpoints and the typical gap, then score every customer and write the scores
    double[] recency = new double[customers];
    double[] frequency = new double[customers];
    double[] monetary = new double[customers];
    DoubleList repeatGaps = new DoubleList();
    int asOfDay = (int) asOf.toEpochDay();
    for (int i = 0; i < customers; i++) {
      int days = totals.days[i];
      recency[i] = asOfDay - totals.lastDay[i];
      frequency[i] = days - 1;
      monetary[i] = totals.total[i] / days;
      if (days > 1) {
        repeatGaps.add((totals.lastDay[i] - totals.firstDay[i]) / (double) (days - 1));
      }
    }
    RfmCuts cuts = customers == 0 ? null
        : RfmCuts.of(recency, frequency, monetary, mean(recency), mean(frequency), mean(monetary));
    recency = null;
    frequency = null;
    monetary = null;
    double typicalGap = median(repeatGaps.toArray());
    CurrentModel model = new CurrentModel(runId, unit, bg, gg,
        new ClvCalculator.Settings(p.clvHorizonDays(), p.annualDiscountRate(), config.clv().steps()), cuts, typicalGap);
    CustomerScorer scorer = new CustomerScorer();
    ExpectationMemo memo = bg == null ? null : new ExpectationMemo(model);
    int written;
    try (ScoreCopyWriter writer = ScoreCopyWriter.start(c, tenantId, started, now())) {
      Log.infof("scoring run %d: old scores deleted in %d ms", runId, (System.nanoTime() - t3) / 1_000_000);
      for (int i = 0; i < customers; i++) {
        int days = totals.days[i];
        int x = days - 1;
        LocalDate first = LocalDate.ofEpochDay(totals.firstDay[i]);
        LocalDate last = LocalDate.ofEpochDay(totals.lastDay[i]);
        CustomerSummary s = new CustomerSummary(x, unit.fromDays(totals.lastDay[i] - totals.firstDay[i]),
            unit.fromDays(asOfDay - totals.firstDay[i]), x == 0 ? 0.0 : totals.repeat[i] / x);
        writer.add(scorer.score(totals.customerId[i], s, days, first, last, totals.total[i], asOf, model, memo));
      }
      written = writer.commit();
    }
    long t4 = System.nanoTime();

    // recommendations from every counted order known now (not only up to as_of: they serve today)
    RecommendationRepository.Refreshed refreshed = recommendations.refresh(tenantId).await().atMost(DB_WAIT);
    notes.add("recommendations refreshed: " + refreshed.skus() + " SKUs, " + refreshed.pairs() + " similar pairs");
    Log.infof("scoring run %d of %s: read %d customers %d ms, fit %d ms, holdout %d ms, score and write %d ms, "
        + "recommendations %d ms", runId, tenantId, customers, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
        (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, (System.nanoTime() - t4) / 1_000_000);
    return new RunRepository.Result(written, calibrationCustomers, repeatBuyers, bgParams, ggParams, cuts, typicalGap,
        holdout, notes);
  }

  /**
   * The calibration cohort collapsed to distinct (x, t_x, T) rows: the rows packed into one long
   * each (x, t_x and T in days, 21 bits apiece), sorted and counted.
   */
  private static AggregatedSummaries calibrationRows(CustomerTotals t, int fitEndDay, ModelTimeUnit unit) {
    int n = 0;
    long[] keys = new long[t.size()];
    for (int i = 0; i < t.size(); i++) {
      if (t.calDays[i] > 0) {
        long x = t.calDays[i] - 1;
        long recency = t.calLastDay[i] - t.firstDay[i];
        long age = fitEndDay - t.firstDay[i];
        if (x >= 1 << 21 || age >= 1 << 21) {
          throw new IllegalStateException("customer " + t.customerId[i] + ": too many purchase days or years");
        }
        keys[n++] = x << 42 | recency << 21 | age;
      }
    }
    Arrays.sort(keys, 0, n);
    int rows = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || keys[i] != keys[i - 1]) {
        rows++;
      }
    }
    int[] x = new int[rows];
    double[] recency = new double[rows];
    double[] age = new double[rows];
    double[] weight = new double[rows];
    int row = -1;
    for (int i = 0; i < n; i++) {
      if (i == 0 || keys[i] != keys[i - 1]) {
        row++;
        x[row] = (int) (keys[i] >>> 42);
        recency[row] = unit.fromDays((keys[i] >>> 21) & 0x1F_FFFF);
        age[row] = unit.fromDays(keys[i] & 0x1F_FFFF);
      }
      weight[row]++;
    }
    return AggregatedSummaries.ofRows(x, recency, age, weight);
  }

  /** Gamma-Gamma on the cohort's (x, monetary), in customer order. */
  private static GammaGammaModel.Fit fitGammaGamma(CustomerTotals t, int cohort) {
    int[] frequency = new int[cohort];
    double[] monetary = new double[cohort];
    int j = 0;
    for (int i = 0; i < t.size(); i++) {
      if (t.calDays[i] > 0) {
        int x = t.calDays[i] - 1;
        frequency[j] = x;
        monetary[j] = x == 0 ? 0.0 : t.calRepeat[i] / x;
        j++;
      }
    }
    return GammaGammaModel.fit(frequency, monetary);
  }

  /**
   * Predicted vs actual purchases over the holdout. A customer's prediction is P(alive) times
   * E[Y(t) | alive, x, T], the second factor computed once per distinct (x, T); the weekly curve
   * sums, per (x, T), the customers' P(alive) once and multiplies.
   */
  private HoldoutReport holdout(BgNbdModel bg, ModelTimeUnit unit, LocalDate calibrationEnd, LocalDate asOf,
      long holdoutDays, CustomerTotals t, int fitEndDay, int cohort, long[] actualByWeek) {
    double horizon = unit.fromDays(holdoutDays);
    Map<Long, double[]> byXAndAge = new HashMap<>(); // -> {sum of P(alive), E[Y(horizon) | alive], x, T}
    int buckets = 8;
    long[] bucketCustomers = new long[buckets];
    long[] bucketActual = new long[buckets];
    double[] bucketPredicted = new double[buckets];
    long actualTotal = 0;
    double predictedTotal = 0;
    double absoluteError = 0;
    for (int i = 0; i < t.size(); i++) {
      if (t.calDays[i] == 0) {
        continue;
      }
      int x = t.calDays[i] - 1;
      int ageDays = fitEndDay - t.firstDay[i];
      double age = unit.fromDays(ageDays);
      CustomerSummary s = CustomerSummary.of(x, unit.fromDays(t.calLastDay[i] - t.firstDay[i]), age);
      double alive = bg.probabilityAlive(s);
      double[] g = byXAndAge.computeIfAbsent((long) x << 32 | ageDays,
          k -> new double[] {0, bg.expectedPurchasesIfAlive(horizon, x, age), x, age});
      g[0] += alive;
      double predicted = alive * g[1]; // = bg.expectedPurchases(horizon, s)
      int actual = t.holdoutActual[i];
      int b = Math.min(x, buckets - 1);
      bucketCustomers[b]++;
      bucketActual[b] += actual;
      bucketPredicted[b] += predicted;
      actualTotal += actual;
      predictedTotal += predicted;
      absoluteError += Math.abs(predicted - actual);
    }
    List<HoldoutReport.Bucket> byFrequency = new ArrayList<>();
    for (int b = 0; b < buckets; b++) {
      long n = bucketCustomers[b];
      byFrequency.add(new HoldoutReport.Bucket(b == buckets - 1 ? (buckets - 1) + "+" : String.valueOf(b), n,
          bucketActual[b], bucketPredicted[b], n == 0 ? 0 : bucketActual[b] / (double) n,
          n == 0 ? 0 : bucketPredicted[b] / n));
    }
    int weeks = actualByWeek.length;
    int step = Math.max(1, (weeks + config.run().maxCurvePoints() - 1) / config.run().maxCurvePoints());
    List<HoldoutReport.WeekPoint> weekly = new ArrayList<>();
    long cumulative = 0;
    for (int w = 1; w <= weeks; w++) {
      cumulative += actualByWeek[w - 1];
      if (w % step != 0 && w != weeks) {
        continue;
      }
      double time = unit.fromDays(Math.min(7L * w, holdoutDays));
      double predicted = 0;
      for (double[] g : byXAndAge.values()) {
        predicted += g[0] * bg.expectedPurchasesIfAlive(time, (int) g[2], g[3]);
      }
      weekly.add(new HoldoutReport.WeekPoint(w, cumulative, predicted));
    }
    return new HoldoutReport(calibrationEnd, asOf, holdoutDays, cohort, actualTotal, predictedTotal,
        actualTotal == 0 ? null : (predictedTotal - actualTotal) / actualTotal * 100.0,
        cohort == 0 ? 0 : absoluteError / cohort, byFrequency, weekly);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  private static double mean(double[] v) {
    return v.length == 0 ? 0 : Arrays.stream(v).sum() / v.length;
  }

  private static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static final class DoubleList {
    private double[] values = new double[1024];
    private int size;

    void add(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int size() {
      return size;
    }

    double[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  /**
   * Every customer's totals in primitive columns (about 60 bytes a customer, no object each): what
   * the run needs to fit, to cut the RFM quintiles and to score, without reading the facts again.
   * Days are epoch days; the calibration columns count days up to the calibration end (as of when
   * there is none).
   */
  private static final class CustomerTotals {
    private final boolean calibration;
    long[] customerId = new long[1024];
    int[] days = new int[1024];
    int[] firstDay = new int[1024];
    int[] lastDay = new int[1024];
    double[] total = new double[1024];
    double[] repeat = new double[1024];
    // without a calibration end these are the as-of columns themselves
    int[] calDays;
    int[] calLastDay;
    double[] calRepeat;
    int[] holdoutActual;
    private int size;

    CustomerTotals(boolean calibration) {
      this.calibration = calibration;
      aliasOrAllocate(1024);
    }

    private void aliasOrAllocate(int n) {
      if (calibration) {
        calDays = calDays == null ? new int[n] : Arrays.copyOf(calDays, n);
        calLastDay = calLastDay == null ? new int[n] : Arrays.copyOf(calLastDay, n);
        calRepeat = calRepeat == null ? new double[n] : Arrays.copyOf(calRepeat, n);
        holdoutActual = holdoutActual == null ? new int[n] : Arrays.copyOf(holdoutActual, n);
      } else {
        calDays = days;
        calLastDay = lastDay;
        calRepeat = repeat;
        holdoutActual = null;
      }
    }

    void add(long id, int purchaseDays, int first, int last, double totalValue, double repeatValue,
        int calibrationDays, int calibrationLast, double calibrationRepeat, int actual) {
      if (size == customerId.length) {
        int n = size * 2;
        customerId = Arrays.copyOf(customerId, n);
        days = Arrays.copyOf(days, n);
        firstDay = Arrays.copyOf(firstDay, n);
        lastDay = Arrays.copyOf(lastDay, n);
        total = Arrays.copyOf(total, n);
        repeat = Arrays.copyOf(repeat, n);
        aliasOrAllocate(n);
      }
      customerId[size] = id;
      days[size] = purchaseDays;
      firstDay[size] = first;
      lastDay[size] = last;
      total[size] = totalValue;
      repeat[size] = repeatValue;
      if (calibration) {
        calDays[size] = calibrationDays;
        calLastDay[size] = calibrationLast;
        calRepeat[size] = calibrationRepeat;
        holdoutActual[size] = actual;
      }
      size++;
    }

    int size() {
      return size;
    }
  }
}
