package com.shopcrm.scoring.service;

import com.shopcrm.scoring.model.RfmGroup;
import com.shopcrm.scoring.model.RfmSegment;
import java.util.Arrays;

/**
 * A run's RFM breakpoints, so a customer rescored between runs gets the quintile scores and the
 * 8-class segment the run would have given the same values. For sorted values s of n customers,
 * {@code RfmScorer}'s score 1 + floor(5 * smaller / n) is at least k + 1 exactly when
 * v > s[ceil(k n / 5) - 1]; so the four cuts per dimension reproduce it. R is scored on negated
 * days (fewer days = more recent = higher). The means are the 8-class thresholds.
 */
public record RfmCuts(double[] recency, double[] frequency, double[] monetary, double recencyMean,
    double frequencyMean, double monetaryMean) {

  /** Cuts of a population (the arrays are not modified). */
  public static RfmCuts of(double[] recencyDays, double[] frequency, double[] monetary,
      double recencyMean, double frequencyMean, double monetaryMean) {
    return new RfmCuts(cuts(Arrays.stream(recencyDays).map(d -> -d).toArray()), cuts(frequency), cuts(monetary),
        recencyMean, frequencyMean, monetaryMean);
  }

  private static double[] cuts(double[] values) {
    int n = values.length;
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double[] cuts = new double[4];
    for (int k = 1; k <= 4; k++) {
      int m = (int) Math.ceil(k * (double) n / 5.0);
      cuts[k - 1] = n == 0 ? 0 : sorted[Math.max(0, m - 1)];
    }
    return cuts;
  }

  private static int score(double value, double[] cuts) {
    int score = 1;
    for (double cut : cuts) {
      if (value > cut) {
        score++;
      }
    }
    return score;
  }

  public int r(double recencyDays) {
    return score(-recencyDays, recency);
  }

  public int f(double frequencyValue) {
    return score(frequencyValue, frequency);
  }

  public int m(double monetaryValue) {
    return score(monetaryValue, monetary);
  }

  public RfmSegment segment(double recencyDays, double frequencyValue, double monetaryValue) {
    return RfmSegment.of(recencyDays < recencyMean, frequencyValue > frequencyMean, monetaryValue > monetaryMean);
  }

  public RfmGroup group(double recencyDays, double frequencyValue) {
    return RfmGroup.of(r(recencyDays), f(frequencyValue));
  }
}
