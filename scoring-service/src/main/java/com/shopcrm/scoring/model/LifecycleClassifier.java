package com.shopcrm.scoring.model;

import java.util.Objects;

/**
 * Assigns a {@link LifecycleStage} from a customer's purchase days, P(alive) and purchase
 * intervals. The rules, first match wins:
 *
 * <ol>
 *   <li><b>prospect</b>: no counted purchase.
 *   <li><b>new</b>: exactly one purchase day, at most {@code newWindowDays} (default 90) ago.
 *   <li><b>churned</b>: P(alive) &lt; {@code churnedBelowPAlive} (default 0.2), or no purchase for
 *       more than {@code churnedIntervals} (default 4) expected intervals.
 *   <li><b>at_risk</b>: P(alive) &lt; {@code atRiskBelowPAlive} (default 0.5), or no purchase for
 *       more than {@code atRiskIntervals} (default 2) expected intervals.
 *   <li><b>active</b>: everyone else.
 * </ol>
 *
 * <p>The expected interval is the customer's own mean gap between purchase days (first to last
 * purchase day / repeat purchase days) when there are at least two purchase days, else the
 * tenant's typical gap (the caller passes e.g. the median of its repeat buyers' mean gaps), and
 * never less than {@code minIntervalDays} (default 14), so a burst of purchases on consecutive
 * days does not make a customer "at risk" a few days later. P(alive) may be NaN (no model fitted,
 * e.g. too few customers): then only the interval rules apply. A one-off buyer's P(alive) is 1
 * under the BG/NBD, so for them the interval rules decide too.
 */
public final class LifecycleClassifier {

  /** The configurable thresholds; {@link #DEFAULT} holds the documented defaults. */
  public record Thresholds(int newWindowDays, double atRiskBelowPAlive, double churnedBelowPAlive,
      double atRiskIntervals, double churnedIntervals, double minIntervalDays) {

    public static final Thresholds DEFAULT = new Thresholds(90, 0.5, 0.2, 2.0, 4.0, 14.0);

    public Thresholds {
      if (newWindowDays < 0 || !(churnedBelowPAlive >= 0 && churnedBelowPAlive <= atRiskBelowPAlive
          && atRiskBelowPAlive <= 1) || !(atRiskIntervals > 0 && churnedIntervals >= atRiskIntervals)
          || !(minIntervalDays > 0)) {
        throw new IllegalArgumentException("inconsistent lifecycle thresholds: " + this);
      }
    }
  }

  /**
   * What the classifier looks at.
   *
   * @param purchaseDays distinct purchase days (frequency + 1; 0 for a prospect)
   * @param daysSinceFirstPurchase days from the first purchase day to the as-of day
   * @param daysSinceLastPurchase days from the last purchase day to the as-of day
   * @param pAlive the BG/NBD P(alive), or NaN when there is no model
   * @param tenantTypicalIntervalDays the tenant's typical gap between purchase days (NaN if unknown:
   *     then {@code minIntervalDays} is used for one-off buyers)
   */
  public record Input(int purchaseDays, double daysSinceFirstPurchase, double daysSinceLastPurchase, double pAlive,
      double tenantTypicalIntervalDays) {

    /** A customer without any counted purchase. */
    public static Input prospect() {
      return new Input(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
  }

  private final Thresholds thresholds;

  public LifecycleClassifier() {
    this(Thresholds.DEFAULT);
  }

  public LifecycleClassifier(Thresholds thresholds) {
    this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
  }

  public LifecycleStage classify(Input in) {
    if (in.purchaseDays() <= 0) {
      return LifecycleStage.PROSPECT;
    }
    if (in.purchaseDays() == 1 && in.daysSinceFirstPurchase() <= thresholds.newWindowDays()) {
      return LifecycleStage.NEW;
    }
    double interval = expectedIntervalDays(in);
    double idle = in.daysSinceLastPurchase();
    boolean hasModel = !Double.isNaN(in.pAlive());
    if ((hasModel && in.pAlive() < thresholds.churnedBelowPAlive()) || idle > thresholds.churnedIntervals() * interval) {
      return LifecycleStage.CHURNED;
    }
    if ((hasModel && in.pAlive() < thresholds.atRiskBelowPAlive()) || idle > thresholds.atRiskIntervals() * interval) {
      return LifecycleStage.AT_RISK;
    }
    return LifecycleStage.ACTIVE;
  }

  /** The expected gap between purchase days used by the interval rules (see the class comment). */
  public double expectedIntervalDays(Input in) {
    double own = in.purchaseDays() >= 2
        ? (in.daysSinceFirstPurchase() - in.daysSinceLastPurchase()) / (in.purchaseDays() - 1)
        : in.tenantTypicalIntervalDays();
    return Double.isNaN(own) ? thresholds.minIntervalDays() : Math.max(own, thresholds.minIntervalDays());
  }
}
