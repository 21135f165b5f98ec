package com.shopcrm.scoring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Objects;

/** The latest RFM scores and model predictions of one customer, keyed {@code (tenant_id, customer_id)}. */
@Entity
@Table(name = "customer_score")
@IdClass(CustomerScore.Key.class)
public class CustomerScore {

  /** The composite key: a customer id means something only within its tenant. */
  public static class Key implements Serializable {
    public String tenantId;
    public Long customerId;

    public Key() {
    }

    public Key(String tenantId, Long customerId) {
      this.tenantId = tenantId;
      this.customerId = customerId;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(tenantId, k.tenantId) && Objects.equals(customerId, k.customerId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(tenantId, customerId);
    }
  }

  @Id
  @Column(name = "tenant_id")
  public String tenantId;

  @Id
  @Column(name = "customer_id")
  public Long customerId;

  @Column(name = "recency_days", nullable = false)
  public int recencyDays;

  @Column(nullable = false)
  public int frequency;

  @Column(nullable = false, precision = 14, scale = 2)
  public BigDecimal monetary;

  @Column(name = "r_score", nullable = false)
  public short rScore;

  @Column(name = "f_score", nullable = false)
  public short fScore;

  @Column(name = "m_score", nullable = false)
  public short mScore;

  @Column(name = "rfm_segment", nullable = false)
  public String rfmSegment;

  @Column(name = "lifecycle_stage")
  public String lifecycleStage;

  @Column(name = "p_alive")
  public Double pAlive;

  @Column(name = "expected_purchases_90d")
  public Double expectedPurchases90d;

  @Column(name = "predicted_clv_365d", precision = 14, scale = 2)
  public BigDecimal predictedClv365d;

  @Column(name = "historical_value", nullable = false, precision = 14, scale = 2)
  public BigDecimal historicalValue;

  @Column(name = "scored_at", nullable = false)
  public OffsetDateTime scoredAt;
}
