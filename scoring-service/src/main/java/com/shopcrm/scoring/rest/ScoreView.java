package com.shopcrm.scoring.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.mutiny.sqlclient.Row;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A customer's score as {@code GET /api/v1/scores/{customer_id}} answers it (ARCHITECTURE §4), plus
 * extras. Names with digits are spelled out: snake_case alone would write {@code expected_purchases90d}.
 * Quintile scores and segments are null for a customer first seen after the latest run; model
 * outputs are null before a run has fitted the models.
 */
public record ScoreView(
    long customerId,
    int recencyDays,
    int frequency,
    BigDecimal monetary,
    @JsonProperty("r_score") Integer rScore,
    @JsonProperty("f_score") Integer fScore,
    @JsonProperty("m_score") Integer mScore,
    String rfmSegment,
    @JsonProperty("rfm11") String rfm11,
    String lifecycleStage,
    @JsonProperty("p_alive") Double pAlive,
    @JsonProperty("expected_purchases_30d") Double expectedPurchases30d,
    @JsonProperty("expected_purchases_90d") Double expectedPurchases90d,
    @JsonProperty("expected_purchases_365d") Double expectedPurchases365d,
    LocalDate expectedNextOrderDate,
    BigDecimal expectedAvgOrderValue,
    @JsonProperty("predicted_clv_365d") BigDecimal predictedClv365d,
    BigDecimal historicalValue,
    int purchaseDays,
    LocalDate firstPurchaseDay,
    LocalDate lastPurchaseDay,
    BigDecimal averageOrderValue,
    Long runId,
    LocalDate asOf,
    OffsetDateTime scoredAt) {

  static ScoreView of(Row r) {
    return new ScoreView(r.getLong("customer_id"), r.getInteger("recency_days"), r.getInteger("frequency"),
        r.getBigDecimal("monetary"), r.getInteger("r_score"), r.getInteger("f_score"), r.getInteger("m_score"),
        r.getString("rfm_segment"), r.getString("rfm11"), r.getString("lifecycle_stage"), r.getDouble("p_alive"),
        r.getDouble("expected_purchases_30d"), r.getDouble("expected_purchases_90d"),
        r.getDouble("expected_purchases_365d"), r.getLocalDate("expected_next_order_date"),
        r.getBigDecimal("expected_avg_order_value"), r.getBigDecimal("predicted_clv_365d"),
        r.getBigDecimal("historical_value"), r.getInteger("purchase_days"), r.getLocalDate("first_purchase_day"),
        r.getLocalDate("last_purchase_day"), r.getBigDecimal("average_order_value"), r.getLong("run_id"),
        r.getLocalDate("as_of"), r.getOffsetDateTime("scored_at"));
  }
}
