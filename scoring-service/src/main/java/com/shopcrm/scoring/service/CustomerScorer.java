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
    CustomerSummary s = summary.get();
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
      pAlive = model.bgnbd().probabilityAlive(s);
      e30 = model.bgnbd().expectedPurchases(model.unit().fromDays(30), s);
      e90 = model.bgnbd().expectedPurchases(model.unit().fromDays(90), s);
      e365 = model.bgnbd().expectedPurchases(model.unit().fromDays(365), s);
      double nextDays = model.unit().toDays(model.bgnbd().medianTimeToNextPurchaseIfAlive(s));
      next = Double.isFinite(nextDays) && nextDays < 36_500 ? asOf.plusDays(Math.max(1, Math.round(nextDays))) : null;
      if (model.gammaGamma() != null) {
        eAov = model.gammaGamma().expectedAverageValue(s);
        clv = new ClvCalculator(model.bgnbd(), model.gammaGamma(), model.unit()).predictedClv(s, settings);
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
    return Optional.of(row);
  }
}
