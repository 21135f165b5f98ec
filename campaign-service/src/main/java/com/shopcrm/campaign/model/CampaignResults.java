package com.shopcrm.campaign.model;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/** The answer bodies of the campaign endpoints other than the campaign itself. */
public final class CampaignResults {

  private CampaignResults() {
  }

  /**
   * {@code POST /campaigns/{id}/launch}: the frozen audience (status {@code launched}), or only
   * {@code {id, status: "launching"}} (the other fields null) when a large audience is frozen in the
   * background.
   */
  public record Launch(long id, String status, Long audience, Suppressed suppressed, Long messagesQueued,
      Long couponsIssued, OffsetDateTime sendAt) {
  }

  /** Recipients held back by reason; quiet_hours ones are delayed, still sent. */
  public record Suppressed(long consent, long frequencyCap, long quietHours) {
  }

  /** {@code GET /campaigns/{id}/report}. */
  public record Report(long id, String status, long audience, Suppressed suppressed, List<Arm> arms, Control control,
      Double uplift, Double pValue, Interval uplift95, String bestArm, String winner, Coupons coupons,
      BigDecimal revenue, BigDecimal cost, Double roi) {
  }

  public record Arm(String name, long recipients, long sent, long failed, long queued, long conversions,
      BigDecimal revenue, double conversionRate, BigDecimal revenuePerRecipient) {
  }

  public record Control(long recipients, long conversions, BigDecimal revenue, double conversionRate) {
  }

  public record Interval(double low, double high) {
  }

  public record Coupons(long issued, long redeemed, BigDecimal redeemedValue) {
  }

  /** One message the local sink received. */
  public record SinkMessage(long messageId, long customerId, String arm, String channel, String subject, String body,
      String couponCode, OffsetDateTime deliveredAt) {
  }

  /** {@code POST /campaigns/order-events}. */
  public record OrderEventResult(String eventId, boolean duplicate, long conversions, String couponOutcome) {
  }
}
