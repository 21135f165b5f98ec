package com.shopcrm.scoring.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * RFM scores and segments of one tenant's customers.
 *
 * <p><b>Scores (1-5, quintiles).</b> A customer's score on a dimension is
 * {@code 1 + floor(5 * worse / n)}, where {@code worse} counts the tenant's customers with a
 * strictly worse value (for F and M: lower; for R: a larger number of days since the last
 * purchase, so R higher = more recent) and n is the number of customers. Equal values always get
 * the same score, whatever the input order: a tie takes the score of its lowest rank (as pandas'
 * {@code rank(method="min")}). With distinct values this is exactly quintiles (ten customers score
 * 1,1,2,2,...,5,5); when 60% bought once, all of them get F = 1.
 *
 * <p><b>8-class segment.</b> R, F and M are each high or low against a threshold: by default the
 * tenant's mean of recency days, frequency and monetary; each can be fixed instead. High means
 * frequency &gt; threshold, monetary &gt; threshold, and recency days &lt; threshold (more recent
 * than it); a value equal to the threshold is low. See {@link RfmSegment}.
 *
 * <p><b>11-group scheme.</b> From the R and F scores by the grid in {@link RfmGroup}.
 */
public final class RfmScorer {

  /** One customer's raw RFM values. */
  public record Customer(long customerId, double recencyDays, double frequency, double monetary) {

    public Customer {
      if (!(recencyDays >= 0) || !(frequency >= 0) || !(monetary >= 0)
          || !Double.isFinite(recencyDays) || !Double.isFinite(frequency) || !Double.isFinite(monetary)) {
        throw new IllegalArgumentException("RFM values must be finite and >= 0 for customer " + customerId);
      }
    }
  }

  /**
   * Thresholds of the 8-class scheme; a null one means the tenant's mean of that value.
   */
  public record Thresholds(Double recencyDays, Double frequency, Double monetary) {

    /** Every dimension against the tenant's mean (the default). */
    public static final Thresholds TENANT_MEAN = new Thresholds(null, null, null);
  }

  /** One customer's scores and segments. */
  public record Score(long customerId, int r, int f, int m, RfmSegment segment, RfmGroup group) {
  }

  private final Thresholds thresholds;

  public RfmScorer() {
    this(Thresholds.TENANT_MEAN);
  }

  public RfmScorer(Thresholds thresholds) {
    this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
  }

  /** Scores all customers of one tenant; the result is in input order. */
  public List<Score> score(List<Customer> customers) {
    int n = customers.size();
    double[] recency = new double[n];
    double[] frequency = new double[n];
    double[] monetary = new double[n];
    for (int i = 0; i < n; i++) {
      Customer c = customers.get(i);
      recency[i] = c.recencyDays();
      frequency[i] = c.frequency();
      monetary[i] = c.monetary();
    }
    double recencyCut = thresholds.recencyDays() != null ? thresholds.recencyDays() : mean(recency);
    double frequencyCut = thresholds.frequency() != null ? thresholds.frequency() : mean(frequency);
    double monetaryCut = thresholds.monetary() != null ? thresholds.monetary() : mean(monetary);
    // R: fewer days is better, so score the negated days.
    double[] negatedRecency = Arrays.stream(recency).map(d -> -d).toArray();
    int[] r = quintileScores(negatedRecency);
    int[] f = quintileScores(frequency);
    int[] m = quintileScores(monetary);
    List<Score> scores = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      RfmSegment segment = RfmSegment.of(
          recency[i] < recencyCut, frequency[i] > frequencyCut, monetary[i] > monetaryCut);
      scores.add(new Score(customers.get(i).customerId(), r[i], f[i], m[i], segment, RfmGroup.of(r[i], f[i])));
    }
    return scores;
  }

  /** 1 + floor(5 * (number of strictly smaller values) / n) for each value. */
  static int[] quintileScores(double[] values) {
    int n = values.length;
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int[] scores = new int[n];
    for (int i = 0; i < n; i++) {
      int smaller = lowerBound(sorted, values[i]);
      scores[i] = 1 + (int) ((5L * smaller) / n);
    }
    return scores;
  }

  private static int lowerBound(double[] sorted, double value) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.length == 0 ? 0 : sum / values.length;
  }
}
