package com.shopcrm.scoring.service;

import java.time.LocalDate;
import java.util.List;

/**
 * Model quality of a run with a calibration end: the models are fitted on purchases up to it, and
 * their predictions for the calibration customers over the holdout (calibration end, as of] are set
 * against what those customers actually did (repeat purchase days). As in Fader, Hardie &amp; Lee
 * (2005): totals, the conditional expectations by calibration frequency (0..6, 7+), and the
 * cumulative repeat purchases week by week.
 *
 * @param errorPercent (predicted - actual) / actual * 100 of the totals (null when actual is 0)
 * @param meanAbsoluteError mean over customers of |predicted - actual| repeat purchases
 */
public record HoldoutReport(LocalDate calibrationEnd, LocalDate holdoutEnd, long holdoutDays, long customers,
    long actualRepeatPurchases, double predictedRepeatPurchases, Double errorPercent, double meanAbsoluteError,
    List<Bucket> byFrequency, List<WeekPoint> weekly) {

  /** Customers with a calibration frequency (the last bucket is "7+"). */
  public record Bucket(String frequency, long customers, long actual, double predicted, double actualMean,
      double predictedMean) {
  }

  /** Cumulative repeat purchases at the end of holdout week {@code week} (1-based). */
  public record WeekPoint(int week, long actualCumulative, double predictedCumulative) {
  }
}
