package com.shopcrm.scoring.model;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns one customer's purchases into a {@link CustomerSummary} per ARCHITECTURE §4: purchases on
 * the same calendar day are one purchase day with their values summed; only days up to and
 * including the calibration end count; frequency = purchase days - 1; recency = first to last
 * purchase day; T = first purchase day to the calibration end; monetary = mean of the repeat
 * purchase days' values (the first day's value is excluded, as in Fader, Hardie &amp; Lee 2005).
 *
 * <p>Built from CDNOW_sample.txt with calibration end 1997-09-30 in weeks, this reproduces the
 * published {@code cdnow_customers_summary_with_transactions.csv} for all 2,357 customers.
 */
public final class SummaryBuilder {

  private final LocalDate calibrationEnd;
  private final ModelTimeUnit unit;

  public SummaryBuilder(LocalDate calibrationEnd, ModelTimeUnit unit) {
    this.calibrationEnd = Objects.requireNonNull(calibrationEnd, "calibrationEnd");
    this.unit = Objects.requireNonNull(unit, "unit");
  }

  public LocalDate calibrationEnd() {
    return calibrationEnd;
  }

  public ModelTimeUnit unit() {
    return unit;
  }

  /**
   * The summary of one customer's purchases, or empty when none falls on or before the
   * calibration end (the customer is not yet in the calibration cohort).
   */
  public Optional<CustomerSummary> summarize(Collection<Purchase> purchases) {
    TreeMap<LocalDate, Double> valueByDay = new TreeMap<>();
    for (Purchase purchase : purchases) {
      if (!purchase.day().isAfter(calibrationEnd)) {
        valueByDay.merge(purchase.day(), purchase.value(), Double::sum);
      }
    }
    if (valueByDay.isEmpty()) {
      return Optional.empty();
    }
    LocalDate first = valueByDay.firstKey();
    LocalDate last = valueByDay.lastKey();
    int frequency = valueByDay.size() - 1;
    double repeatValue = 0.0;
    for (double value : valueByDay.tailMap(first, false).values()) {
      repeatValue += value;
    }
    double monetary = frequency == 0 ? 0.0 : repeatValue / frequency;
    return Optional.of(new CustomerSummary(
        frequency,
        unit.fromDays(ChronoUnit.DAYS.between(first, last)),
        unit.fromDays(ChronoUnit.DAYS.between(first, calibrationEnd)),
        monetary));
  }
}
