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
import com.shopcrm.scoring.repository.ScorePushRepository;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import javax.sql.DataSource;

/**
 * Executes one scoring run on a worker thread (blocking there, never on an event loop), on one
 * JDBC connection (see {@link CustomerTotalsRepository} for why JDBC). The purchase facts are read
 * ONCE, as every customer's totals (purchase days, first and last day, value sums; as of and up to
 * the calibration end; the holdout days): from the per-customer summaries the purchase-fact
 * triggers keep when they are exactly that (no calibration end, nothing after as_of), otherwise by
 * one streamed aggregate query. They are kept in primitive columns (about 40–60 MB for a million
 * customers, never an order in memory). From them:
 *
 * <ol>
 *   <li>the calibration summaries (x, t_x, T, monetary) for the BG/NBD and Gamma-Gamma fits (on
 *       two threads; the recommendations refresh runs meanwhile) and the holdout report;</li>
 *   <li>the RFM breakpoints and the tenant's typical gap;</li>
 *   <li>every customer's score with {@link CustomerScorer} (the same code as the incremental
 *       path; the expectations that depend on (x, T) only are computed once per pair), scored and
 *       encoded on {@code crm.scoring.run.score-threads} threads and streamed by binary COPY into a
 *       fresh table that replaces the tenant's partition of the scores in one transaction
 *       ({@link ScoreCopyWriter}), with the push of the scores to campaign-service queued.</li>
 * </ol>
 *
 * <p>bench/scoring-run/README.md has the figures at 1,000,000 customers.
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
  private final ScorePushRepository pushes;
  private final ScorePusher pusher;

  ScoringRunner(Pool pool, DataSource dataSource, CustomerTotalsRepository customerTotals, RunRepository runs,
      Clock clock, ScoringConfig config, RecommendationService recommendations, ScorePushRepository pushes,
      ScorePusher pusher) {
    this.pushes = pushes;
    this.pusher = pusher;
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
    // ---- the one read: every customer's totals, kept in primitive columns
    long holdoutDays = p.calibrationEnd() == null ? 0 : ChronoUnit.DAYS.between(p.calibrationEnd(), asOf);
    long[] actualByWeek = new long[(int) ((holdoutDays + 6) / 7)];
    // without a calibration end the per-customer summaries are the aggregate, unless purchases
    // after as_of exist (then they cover too much and the facts are aggregated)
    boolean fromSummaries = p.calibrationEnd() == null && customerTotals.summariesCover(c, tenantId, asOf);
    CustomerTotals totals = new CustomerTotals(p.calibrationEnd() != null,
        fromSummaries ? customerTotals.countSummaries(c, tenantId) : 1024);
    int fitEndDay = (int) fitEnd.toEpochDay();
    CustomerTotalsRepository.Visitor collect = (id, days, first, last, total, repeat, calDays, calLast,
        calRepeat, holdout) -> {
      int actual = 0;
      if (calDays > 0) {
        for (int day : holdout) {
          actual++;
          actualByWeek[(day - fitEndDay - 1) / 7]++;
        }
      }
      totals.add(id, days, first, last, total, repeat, calDays, calLast, calRepeat, actual);
    };
    if (fromSummaries) {
      customerTotals.streamSummaries(c, tenantId, collect);
    } else {
      customerTotals.stream(c, tenantId, asOf, fitEnd, collect);
    }
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
    // the recommendations refresh (SQL on another connection) runs while the models are fitted
    CompletableFuture<RecommendationRepository.Refreshed> refreshed =
        recommendations.refresh(tenantId).subscribeAsCompletionStage();
    if (calibrationCustomers < MIN_CUSTOMERS_TO_FIT) {
      notes.add("models not fitted: " + calibrationCustomers + " customers up to " + fitEnd + " (at least "
          + MIN_CUSTOMERS_TO_FIT + " needed)");
    } else {
      // Gamma-Gamma on its own thread while BG/NBD is fitted here (the two fits are independent;
      // the Gamma-Gamma result is used only when BG/NBD could be fitted)
      int cohort = calibrationCustomers;
      FutureTask<GammaGammaModel.Fit> ggFit = new FutureTask<>(() -> fitGammaGamma(totals, cohort));
      Thread ggThread = new Thread(ggFit, "scoring-run-" + runId + "-gamma-gamma");
      ggThread.setDaemon(true);
      ggThread.start();
      try {
        long fitStart = System.nanoTime();
        AggregatedSummaries rows = calibrationRows(totals, fitEndDay, unit);
        long collapsed = System.nanoTime();
        BgNbdModel.Fit fit = BgNbdModel.fit(rows, false);
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
      GammaGammaModel.Fit fit = null;
      try {
        long waitStart = System.nanoTime();
        fit = ggFit.get();
        Log.infof("scoring run %d: Gamma-Gamma fitted (%d evaluations; waited %d ms for it)", runId,
            fit.evaluations(), (System.nanoTime() - waitStart) / 1_000_000);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof IllegalArgumentException || e.getCause() instanceof IllegalStateException)) {
          throw new IllegalStateException("Gamma-Gamma fit failed: " + e.getCause(), e.getCause());
        }
        if (bg != null) {
          notes.add("Gamma-Gamma not fitted: " + e.getCause().getMessage());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while fitting Gamma-Gamma", e);
      }
      if (bg != null && fit != null) {
        gg = fit.model();
        ggParams = new RunView.GammaGammaParams(gg.p(), gg.q(), gg.gamma(), fit.logLikelihood(), fit.customers(),
            fit.onBoundary());
        if (fit.onBoundary()) {
          notes.add("Gamma-Gamma optimum on the search boundary (spend hardly varies within customers): "
              + "expected values usable, parameters not interpretable");
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
    try (ScoreCopyWriter writer = ScoreCopyWriter.start(c, tenantId, runId, started, now())) {
      Log.infof("scoring run %d: score table created in %d ms", runId, (System.nanoTime() - t3) / 1_000_000);
      streamScores(runId, writer, customers, config.run().scoreThreads(), i -> {
        int days = totals.days[i];
        int x = days - 1;
        LocalDate first = LocalDate.ofEpochDay(totals.firstDay[i]);
        LocalDate last = LocalDate.ofEpochDay(totals.lastDay[i]);
        CustomerSummary s = new CustomerSummary(x, unit.fromDays(totals.lastDay[i] - totals.firstDay[i]),
            unit.fromDays(asOfDay - totals.firstDay[i]), x == 0 ? 0.0 : totals.repeat[i] / x);
        return scorer.score(totals.customerId[i], s, days, first, last, totals.total[i], asOf, model, memo);
      });
      // the push to campaign-service is committed with the scores and starts once the run is completed
      written = writer.commit(connection -> {
        if (pusher.enabled()) {
          pushes.startRunPush(connection, tenantId, runId);
        }
      });
    }
    long t4 = System.nanoTime();

    // recommendations from every counted order known now (not only up to as_of: they serve today)
    RecommendationRepository.Refreshed refresh = awaitRefresh(refreshed);
    notes.add("recommendations refreshed: " + refresh.skus() + " SKUs, " + refresh.pairs() + " similar pairs");
    Log.infof("scoring run %d of %s: read %d customers (%s) %d ms, fit %d ms, holdout %d ms, score and write %d ms, "
        + "recommendations (waited) %d ms", runId, tenantId, customers, fromSummaries ? "summaries" : "facts aggregated",
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
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

  private static final int SCORE_BLOCK = 4096;

  /**
   * Scores customers 0..n-1 and streams them into the COPY in order. Scoring and encoding are the
   * client's share of the write (the server's is the COPY itself, ~2.5 s for a million rows), so
   * blocks of customers are scored and encoded on {@code crm.scoring.run.score-threads} threads while this one
   * sends the finished blocks in order; encoders are recycled.
   */
  private static void streamScores(long runId, ScoreCopyWriter writer, int n, int scoreThreads,
      IntFunction<ScoreRow> score) throws SQLException {
    ExecutorService threads = Executors.newFixedThreadPool(scoreThreads, r -> {
      Thread t = new Thread(r, "scoring-run-" + runId + "-scores");
      t.setDaemon(true);
      return t;
    });
    ConcurrentLinkedQueue<ScoreCopyWriter.RowEncoder> free = new ConcurrentLinkedQueue<>();
    ArrayDeque<Future<ScoreCopyWriter.RowEncoder>> inFlight = new ArrayDeque<>();
    try {
      for (int from = 0; from < n; from += SCORE_BLOCK) {
        int start = from;
        int end = Math.min(n, from + SCORE_BLOCK);
        inFlight.add(threads.submit(() -> {
          ScoreCopyWriter.RowEncoder e = free.poll();
          if (e == null) {
            e = writer.encoder();
          }
          for (int i = start; i < end; i++) {
            e.add(score.apply(i));
          }
          return e;
        }));
        if (inFlight.size() > 2 * scoreThreads) {
          sendNext(writer, inFlight, free);
        }
      }
      while (!inFlight.isEmpty()) {
        sendNext(writer, inFlight, free);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private static void sendNext(ScoreCopyWriter writer, ArrayDeque<Future<ScoreCopyWriter.RowEncoder>> inFlight,
      ConcurrentLinkedQueue<ScoreCopyWriter.RowEncoder> free) throws SQLException {
    ScoreCopyWriter.RowEncoder e;
    try {
      e = inFlight.poll().get();
    } catch (ExecutionException ex) {
      throw ex.getCause() instanceof RuntimeException r ? r
          : new IllegalStateException("scoring failed: " + ex.getCause(), ex.getCause());
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scoring", ex);
    }
    writer.send(e);
    e.reset();
    free.add(e);
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
    return GammaGammaModel.fit(frequency, monetary, false);
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

  private static RecommendationRepository.Refreshed awaitRefresh(
      CompletableFuture<RecommendationRepository.Refreshed> refreshed) {
    try {
      return refreshed.get(DB_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r
          : new IllegalStateException("recommendations refresh failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while refreshing recommendations", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("recommendations refresh took longer than " + DB_WAIT, e);
    }
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
    long[] customerId;
    int[] days;
    int[] firstDay;
    int[] lastDay;
    double[] total;
    double[] repeat;
    // without a calibration end these are the as-of columns themselves
    int[] calDays;
    int[] calLastDay;
    double[] calRepeat;
    int[] holdoutActual;
    private int size;

    /** {@code capacity}: the number of customers when known (no array is then grown and copied). */
    CustomerTotals(boolean calibration, int capacity) {
      this.calibration = calibration;
      int n = Math.max(capacity, 16);
      customerId = new long[n];
      days = new int[n];
      firstDay = new int[n];
      lastDay = new int[n];
      total = new double[n];
      repeat = new double[n];
      aliasOrAllocate(n);
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
