package com.shopcrm.scoring.service;

import com.shopcrm.scoring.model.ClvCalculator;
import com.shopcrm.scoring.model.CustomerSummary;
import com.shopcrm.scoring.model.LifecycleClassifier;
import com.shopcrm.scoring.model.Purchase;
import com.shopcrm.scoring.model.SummaryBuilder;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Scores one customer from their purchase days (one {@link Purchase} per day, the day's counted
 * orders summed) as of a day, with a {@link CurrentModel}. Pure: the run and the incremental path
 * both call it, so a customer rescored after an event gets what the next run would give with the
 * same model.
 *
 * <p>API fields follow ARCHITECTURE §4: {@code frequency} = repeat purchase days, {@code monetary}
 * = mean value of the repeat purchase days (0 for a one-off buyer), {@code recency_days} = days
 * since the last purchase day, {@code historical_value} = all counted value. The RFM M score and
 * the 8-class M use {@code average_order_value} (mean value per purchase day, first day included),
 * so a one-off big spender is "important development" rather than scored on a monetary of 0.
 */
public final class CustomerScorer {

  private final LifecycleClassifier lifecycle = new LifecycleClassifier();

  /** The score of a customer with at least one purchase day on or before {@code asOf}; empty otherwise. */
  public Optional<ScoreRow> score(long customerId, List<Purchase> days, LocalDate asOf, CurrentModel model) {
    Optional<CustomerSummary> summary = new SummaryBuilder(asOf, model.unit()).summarize(days);
    if (summary.isEmpty()) {
      return Optional.empty();
    }
    LocalDate first = null;
    LocalDate last = null;
    double total = 0;
    int purchaseDays = 0;
    for (Purchase p : days) {
      if (p.day().isAfter(asOf)) {
        continue;
      }
      purchaseDays++; // callers pass one Purchase per day
      total += p.value();
      first = first == null || p.day().isBefore(first) ? p.day() : first;
      last = last == null || p.day().isAfter(last) ? p.day() : last;
    }
    return Optional.of(score(customerId, summary.get(), purchaseDays, first, last, total, asOf, model, null));
  }

  /**
   * The score of a customer from their totals as of {@code asOf}: the summary (x, t_x, T, monetary
   * as {@link SummaryBuilder} builds it), purchase days, first and last purchase day, and the sum of
   * all purchase days' values. A full run scores from these (it aggregates in SQL); {@code memo},
   * when given, holds the expectations that depend on (x, T) only, shared by the run's customers.
   */
  ScoreRow score(long customerId, CustomerSummary s, int purchaseDays, LocalDate first, LocalDate last, double total,
      LocalDate asOf, CurrentModel model, ExpectationMemo memo) {
    int recencyDays = (int) ChronoUnit.DAYS.between(last, asOf);
    double aov = total / purchaseDays;

    Double pAlive = null;
    Double e30 = null;
    Double e90 = null;
    Double e365 = null;
    LocalDate next = null;
    Double eAov = null;
    Double clv = null;
    if (model.bgnbd() != null) {
      ClvCalculator.Settings settings = model.clv();
      // E[Y(t)] = P(alive) E[Y(t) | alive]; the second factor depends on (x, T) only
      double[] ifAlive = memo != null ? memo.ifAlive(s) : ExpectationMemo.compute(model, s);
      double alive = model.bgnbd().probabilityAlive(s);
      pAlive = alive;
      e30 = alive * ifAlive[0];
      e90 = alive * ifAlive[1];
      e365 = alive * ifAlive[2];
      double nextDays = model.unit().toDays(model.bgnbd().medianTimeToNextPurchaseIfAlive(s));
      next = Double.isFinite(nextDays) && nextDays < 36_500 ? asOf.plusDays(Math.max(1, Math.round(nextDays))) : null;
      if (model.gammaGamma() != null) {
        eAov = model.gammaGamma().expectedAverageValue(s);
        clv = ClvCalculator.discountedClv(eAov, settings, k -> alive * ifAlive[2 + k]);
      }
    }
    String stage = lifecycle.classify(new LifecycleClassifier.Input(purchaseDays,
        ChronoUnit.DAYS.between(first, asOf), recencyDays, pAlive == null ? Double.NaN : pAlive,
        model.typicalIntervalDays())).id();

    ScoreRow row = new ScoreRow(customerId, recencyDays, s.frequency(), s.monetary(), purchaseDays, first, last, total, aov, null, null, null, null, null, stage, pAlive, e30, e90, e365,
        next, eAov, clv, model.runId(), asOf);
    RfmCuts cuts = model.rfm();
    if (cuts != null) {
      row = row.withRfm(cuts.r(recencyDays), cuts.f(s.frequency()), cuts.m(aov),
          cuts.segment(recencyDays, s.frequency(), aov).id(), cuts.group(recencyDays, s.frequency()).id());
    }
    return row;
  }
}
