package com.shopcrm.scoring.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.shopcrm.scoring.CustomerScore;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A customer's score as {@code GET /api/v1/scores/{customer_id}} answers it (ARCHITECTURE §4).
 * Names with digits are spelled out: snake_case alone would write {@code expected_purchases90d}.
 */
public record ScoreView(
    long customerId,
    int recencyDays,
    int frequency,
    BigDecimal monetary,
    @JsonProperty("r_score") int rScore,
    @JsonProperty("f_score") int fScore,
    @JsonProperty("m_score") int mScore,
    String rfmSegment,
    String lifecycleStage,
    @JsonProperty("p_alive") Double pAlive,
    @JsonProperty("expected_purchases_90d") Double expectedPurchases90d,
    @JsonProperty("predicted_clv_365d") BigDecimal predictedClv365d,
    BigDecimal historicalValue,
    OffsetDateTime scoredAt) {

  static ScoreView of(CustomerScore s) {
    return new ScoreView(s.customerId, s.recencyDays, s.frequency, s.monetary, s.rScore, s.fScore,
        s.mScore, s.rfmSegment, s.lifecycleStage, s.pAlive, s.expectedPurchases90d,
        s.predictedClv365d, s.historicalValue, s.scoredAt);
  }
}
