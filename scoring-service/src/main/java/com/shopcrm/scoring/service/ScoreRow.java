package com.shopcrm.scoring.service;

import java.time.LocalDate;

/** One customer's score as written to {@code customer_score}; model outputs null without a model. */
public record ScoreRow(
    long customerId,
    int recencyDays,
    int frequency,
    double monetary,
    int purchaseDays,
    LocalDate firstPurchaseDay,
    LocalDate lastPurchaseDay,
    double historicalValue,
    double averageOrderValue,
    Integer rScore,
    Integer fScore,
    Integer mScore,
    String rfmSegment,
    String rfm11,
    String lifecycleStage,
    Double pAlive,
    Double expectedPurchases30d,
    Double expectedPurchases90d,
    Double expectedPurchases365d,
    LocalDate expectedNextOrderDate,
    Double expectedAvgOrderValue,
    Double predictedClv365d,
    Long runId,
    LocalDate asOf) {

  /** The same row with a run's quintile scores and segments. */
  public ScoreRow withRfm(int r, int f, int m, String segment, String group) {
    return new ScoreRow(customerId, recencyDays, frequency, monetary, purchaseDays, firstPurchaseDay, lastPurchaseDay,
        historicalValue, averageOrderValue, r, f, m, segment, group, lifecycleStage, pAlive, expectedPurchases30d,
        expectedPurchases90d, expectedPurchases365d, expectedNextOrderDate, expectedAvgOrderValue, predictedClv365d,
        runId, asOf);
  }
}
