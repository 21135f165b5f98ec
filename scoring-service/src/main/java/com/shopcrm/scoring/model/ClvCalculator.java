package com.shopcrm.scoring.model;

import java.util.Objects;
import java.util.function.IntToDoubleFunction;

/**
 * Predicted customer lifetime value over a finite horizon from the BG/NBD (how many purchases) and
 * the Gamma-Gamma model (how much each is worth), discounted per step:
 *
 * <pre>
 *   CLV = sum_{k=1..K} E[Z | x, m] * (E[Y(t_k) | x, t_x, T] - E[Y(t_{k-1}) | x, t_x, T])
 *                      / (1 + d)^(k H / (K * 365))
 * </pre>
 *
 * with H the horizon in days, K steps of H/K days each (t_k = k H / K converted to the model's
 * time unit), d the annual discount rate, the purchases of step k discounted to its end. This is
 * the discrete sum of the lifetimes package's {@code customer_lifetime_value} (there: monthly steps
 * with a monthly rate) with the annual rate spread over the steps by compounding. Defaults: 365
 * days, 10% a year, 12 (roughly monthly) steps. The value is revenue, not margin: multiply by a
 * margin where profit is wanted.
 */
public final class ClvCalculator {

  /** How the sum is taken. */
  public record Settings(double horizonDays, double annualDiscountRate, int steps) {

    /** 365 days, 10% a year, 12 steps. */
    public static final Settings DEFAULT = new Settings(365, 0.10, 12);

    public Settings {
      if (!(horizonDays > 0) || !Double.isFinite(horizonDays)) {
        throw new IllegalArgumentException("horizon must be > 0 days, got " + horizonDays);
      }
      if (!(annualDiscountRate > -1) || !Double.isFinite(annualDiscountRate)) {
        throw new IllegalArgumentException("annual discount rate must be > -1, got " + annualDiscountRate);
      }
      if (steps < 1) {
        throw new IllegalArgumentException("steps must be >= 1, got " + steps);
      }
    }
  }

  private final BgNbdModel purchases;
  private final GammaGammaModel value;
  private final ModelTimeUnit unit;

  /**
   * @param unit the time unit both the BG/NBD model and the summaries are in
   */
  public ClvCalculator(BgNbdModel purchases, GammaGammaModel value, ModelTimeUnit unit) {
    this.purchases = Objects.requireNonNull(purchases, "purchases");
    this.value = Objects.requireNonNull(value, "value");
    this.unit = Objects.requireNonNull(unit, "unit");
  }

  /** CLV with the default settings (365 days, 10% a year, 12 steps). */
  public double predictedClv(CustomerSummary s) {
    return predictedClv(s, Settings.DEFAULT);
  }

  /** CLV with the given settings (see the class comment for the formula). */
  public double predictedClv(CustomerSummary s, Settings settings) {
    return discountedClv(value.expectedAverageValue(s), settings,
        k -> purchases.expectedPurchases(unit.fromDays(stepEndDays(settings, k)), s));
  }

  /** The calendar days at the end of each step k = 1..K: k H / K. */
  public static double stepEndDays(Settings settings, int k) {
    return k * (settings.horizonDays() / settings.steps());
  }

  /**
   * The discounted sum of the class comment, given the expected average value and the cumulative
   * expected purchases at the end of each step k (at {@link #stepEndDays} calendar days).
   * A scoring run passes memoized expectations here; the arithmetic is that of
   * {@link #predictedClv(CustomerSummary, Settings)}.
   */
  public static double discountedClv(double averageValue, Settings settings,
      IntToDoubleFunction cumulativeAtStep) {
    double clv = 0;
    double previous = 0;
    for (int k = 1; k <= settings.steps(); k++) {
      double days = stepEndDays(settings, k);
      double cumulative = cumulativeAtStep.applyAsDouble(k);
      double discount = Math.pow(1 + settings.annualDiscountRate(), days / 365.0);
      clv += averageValue * (cumulative - previous) / discount;
      previous = cumulative;
    }
    return clv;
  }

  /** Expected purchases in the next {@code days} calendar days (e.g. the API's 90-day figure). */
  public double expectedPurchasesInDays(CustomerSummary s, double days) {
    return purchases.expectedPurchases(unit.fromDays(days), s);
  }
}
