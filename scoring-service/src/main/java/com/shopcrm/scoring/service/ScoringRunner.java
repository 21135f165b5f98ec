package com.shopcrm.scoring.service;

import com.shopcrm.scoring.config.ScoringConfig;
import com.shopcrm.scoring.model.AggregatedSummaries;
import com.shopcrm.scoring.model.BgNbdModel;
import com.shopcrm.scoring.model.ClvCalculator;
import com.shopcrm.scoring.model.CustomerSummary;
import com.shopcrm.scoring.model.GammaGammaModel;
import com.shopcrm.scoring.model.ModelTimeUnit;
import com.shopcrm.scoring.model.Purchase;
import com.shopcrm.scoring.model.SummaryBuilder;
import com.shopcrm.scoring.repository.PurchaseFactRepository;
import com.shopcrm.scoring.repository.PurchaseFactRepository.CustomerDays;
import com.shopcrm.scoring.repository.RecommendationRepository;
import com.shopcrm.scoring.repository.RunRepository;
import com.shopcrm.scoring.repository.ScoreRepository;
import io.quarkus.logging.Log;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
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
import java.util.Optional;

/**
 * Executes one scoring run on a worker thread (blocking on the reactive client there, never on an
 * event loop). Two streaming passes over the tenant's purchase facts, customer by customer in
 * keyset batches (never all orders in memory):
 *
 * <ol>
 *   <li>summaries up to the calibration end (or as of) for the fit, the customers' raw R/F/M as
 *       of for the quintile breakpoints, and the holdout's actual repeat purchases;</li>
 *   <li>after fitting BG/NBD and Gamma-Gamma, every customer's score with {@link CustomerScorer}
 *       (the same code as the incremental path), written set-based in batches.</li>
 * </ol>
 */
@ApplicationScoped
public class ScoringRunner {

  /** Fewer customers than this in the calibration period: no model is fitted (the run notes it). */
  static final int MIN_CUSTOMERS_TO_FIT = 20;
  private static final Duration DB_WAIT = Duration.ofMinutes(5);

  private final Pool pool;
  private final PurchaseFactRepository facts;
  private final ScoreRepository scores;
  private final RunRepository runs;
  private final Clock clock;
  private final ScoringConfig config;
  private final RecommendationService recommendations;

  ScoringRunner(Pool pool, PurchaseFactRepository facts, ScoreRepository scores, RunRepository runs, Clock clock,
      ScoringConfig config, RecommendationService recommendations) {
    this.recommendations = recommendations;
    this.pool = pool;
    this.facts = facts;
    this.scores = scores;
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
    ModelTimeUnit unit = p.unit();
    LocalDate asOf = p.asOf();
    LocalDate fitEnd = p.calibrationEnd() != null ? p.calibrationEnd() : asOf;
    SummaryBuilder calibration = new SummaryBuilder(fitEnd, unit);
    List<String> notes = new ArrayList<>();

    long t0 = System.nanoTime();
    // ---- pass 1: calibration summaries, raw RFM as of, holdout actuals
    List<CustomerSummary> calSummaries = new ArrayList<>();
    IntList holdoutActual = new IntList();
    long holdoutDays = p.calibrationEnd() == null ? 0 : ChronoUnit.DAYS.between(p.calibrationEnd(), asOf);
    long[] actualByWeek = new long[(int) ((holdoutDays + 6) / 7)];
    DoubleList recency = new DoubleList();
    DoubleList frequency = new DoubleList();
    DoubleList monetary = new DoubleList();
    DoubleList repeatGaps = new DoubleList();
    long after = Long.MIN_VALUE;
    while (true) {
      List<CustomerDays> batch = facts.nextCustomers(pool, tenantId, after, config.run().customerBatch(), asOf)
          .await().atMost(DB_WAIT);
      if (batch.isEmpty()) {
        break;
      }
      for (CustomerDays c : batch) {
        List<Purchase> days = c.days();
        LocalDate first = days.get(0).day();
        LocalDate last = days.get(days.size() - 1).day();
        double total = 0;
        for (Purchase d : days) {
          total += d.value();
        }
        recency.add(ChronoUnit.DAYS.between(last, asOf));
        frequency.add(days.size() - 1);
        monetary.add(total / days.size());
        if (days.size() > 1) {
          repeatGaps.add(ChronoUnit.DAYS.between(first, last) / (double) (days.size() - 1));
        }
        Optional<CustomerSummary> s = calibration.summarize(days);
        if (s.isPresent()) {
          calSummaries.add(s.get());
          int actual = 0;
          if (p.calibrationEnd() != null) {
            for (Purchase d : days) {
              if (d.day().isAfter(fitEnd)) {
                actual++;
                actualByWeek[(int) ((ChronoUnit.DAYS.between(fitEnd, d.day()) - 1) / 7)]++;
              }
            }
          }
          holdoutActual.add(actual);
        }
      }
      after = batch.get(batch.size() - 1).customerId();
    }
    int customers = recency.size();
    long t1 = System.nanoTime();

    // ---- fit
    BgNbdModel bg = null;
    RunView.BgNbdParams bgParams = null;
    GammaGammaModel gg = null;
    RunView.GammaGammaParams ggParams = null;
    int repeatBuyers = (int) calSummaries.stream().filter(CustomerSummary::isRepeatBuyer).count();
    if (calSummaries.size() < MIN_CUSTOMERS_TO_FIT) {
      notes.add("models not fitted: " + calSummaries.size() + " customers up to " + fitEnd + " (at least "
          + MIN_CUSTOMERS_TO_FIT + " needed)");
    } else {
      try {
        BgNbdModel.Fit fit = BgNbdModel.fit(AggregatedSummaries.of(calSummaries));
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
          GammaGammaModel.Fit fit = GammaGammaModel.fit(calSummaries);
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
    // ---- RFM breakpoints and the typical gap, then pass 2: score and write
    RfmCuts cuts = customers == 0 ? null : RfmCuts.of(recency.toArray(), frequency.toArray(), monetary.toArray(),
        mean(recency.toArray()), mean(frequency.toArray()), mean(monetary.toArray()));
    double typicalGap = median(repeatGaps.toArray());
    CurrentModel model = new CurrentModel(runId, unit, bg, gg,
        new ClvCalculator.Settings(p.clvHorizonDays(), p.annualDiscountRate(), config.clv().steps()), cuts, typicalGap);
    CustomerScorer scorer = new CustomerScorer();
    int written = 0;
    after = Long.MIN_VALUE;
    List<ScoreRow> pending = new ArrayList<>();
    while (true) {
      List<CustomerDays> batch = facts.nextCustomers(pool, tenantId, after, config.run().customerBatch(), asOf)
          .await().atMost(DB_WAIT);
      if (batch.isEmpty()) {
        break;
      }
      for (CustomerDays c : batch) {
        scorer.score(c.customerId(), c.days(), asOf, model).ifPresent(pending::add);
        if (pending.size() >= config.run().writeBatch()) {
          scores.upsert(pool, tenantId, pending, now()).await().atMost(DB_WAIT);
          written += pending.size();
          pending = new ArrayList<>();
        }
      }
      after = batch.get(batch.size() - 1).customerId();
    }
    scores.upsert(pool, tenantId, pending, now()).await().atMost(DB_WAIT);
    written += pending.size();
    scores.deleteScoredBefore(pool, tenantId, started).await().atMost(DB_WAIT);
    long t3 = System.nanoTime();

    HoldoutReport holdout = p.calibrationEnd() == null || bg == null ? null
        : holdout(bg, unit, p.calibrationEnd(), asOf, holdoutDays, calSummaries, holdoutActual, actualByWeek);
    if (p.calibrationEnd() != null && bg == null) {
      notes.add("no holdout report: no model was fitted");
    }
    // recommendations from every counted order known now (not only up to as_of: they serve today)
    RecommendationRepository.Refreshed refreshed = recommendations.refresh(tenantId).await().atMost(DB_WAIT);
    notes.add("recommendations refreshed: " + refreshed.skus() + " SKUs, " + refreshed.pairs() + " similar pairs");
    Log.infof("scoring run %d of %s: read %d customers %d ms, fit %d ms, score and write %d ms, holdout and "
        + "recommendations %d ms", runId, tenantId, customers, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
        (t3 - t2) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
    return new RunRepository.Result(written, calSummaries.size(), repeatBuyers, bgParams, ggParams, cuts, typicalGap,
        holdout, notes);
  }

  private HoldoutReport holdout(BgNbdModel bg, ModelTimeUnit unit, LocalDate calibrationEnd, LocalDate asOf,
      long holdoutDays, List<CustomerSummary> cal, IntList actual, long[] actualByWeek) {
    double horizon = unit.fromDays(holdoutDays);
    Map<CustomerSummary, double[]> rows = new HashMap<>(); // (x, t_x, T) -> {weight, predicted over the holdout}
    int buckets = 8;
    long[] bucketCustomers = new long[buckets];
    long[] bucketActual = new long[buckets];
    double[] bucketPredicted = new double[buckets];
    long actualTotal = 0;
    double predictedTotal = 0;
    double absoluteError = 0;
    for (int i = 0; i < cal.size(); i++) {
      CustomerSummary s = cal.get(i);
      CustomerSummary key = CustomerSummary.of(s.frequency(), s.recency(), s.age());
      double[] row = rows.computeIfAbsent(key, k -> new double[] {0, bg.expectedPurchases(horizon, k)});
      row[0]++;
      int b = Math.min(s.frequency(), buckets - 1);
      bucketCustomers[b]++;
      bucketActual[b] += actual.get(i);
      bucketPredicted[b] += row[1];
      actualTotal += actual.get(i);
      predictedTotal += row[1];
      absoluteError += Math.abs(row[1] - actual.get(i));
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
      double t = unit.fromDays(Math.min(7L * w, holdoutDays));
      double predicted = 0;
      for (Map.Entry<CustomerSummary, double[]> e : rows.entrySet()) {
        predicted += e.getValue()[0] * bg.expectedPurchases(t, e.getKey());
      }
      weekly.add(new HoldoutReport.WeekPoint(w, cumulative, predicted));
    }
    return new HoldoutReport(calibrationEnd, asOf, holdoutDays, cal.size(), actualTotal, predictedTotal,
        actualTotal == 0 ? null : (predictedTotal - actualTotal) / actualTotal * 100.0,
        cal.isEmpty() ? 0 : absoluteError / cal.size(), byFrequency, weekly);
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

  /** A growable int array (a run holds one number per customer, not an object). */
  private static final class IntList {
    private int[] values = new int[1024];
    private int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int get(int i) {
      return values[i];
    }
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
}
