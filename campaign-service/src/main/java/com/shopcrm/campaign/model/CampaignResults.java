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
   * background, or {@code {id, status: "scheduled", send_at}} (the first run) for a recurring campaign.
   */
  public record Launch(long id, String status, Long audience, Suppressed suppressed, Long messagesQueued,
      Long couponsIssued, OffsetDateTime sendAt, BigDecimal committedCost) {

    public static Launch pending(long id, String status, OffsetDateTime sendAt) {
      return new Launch(id, status, null, null, null, null, sendAt, null);
    }
  }

  /** Recipients held back by reason; quiet_hours ones are delayed, still sent. */
  public record Suppressed(long consent, long frequencyCap, long quietHours, long budget) {
  }

  /**
   * {@code GET /campaigns/{id}/report}; for a recurring campaign the sum of its runs ({@code runs}),
   * each customer counted once per arm (arms are stable across runs) and each order once.
   */
  public record Report(long id, String status, long audience, Suppressed suppressed, List<Arm> arms, Control control,
      Double uplift, Double pValue, Interval uplift95, String bestArm, String winner, Coupons coupons,
      BigDecimal revenue, BigDecimal cost, Double roi, BigDecimal budget, BigDecimal committedCost, int runs) {
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

  /**
   * {@code POST /campaigns/order-events}: conversions recorded, or (a refund or cancellation)
   * conversions reversed — removed, or their revenue lowered to what the shop kept.
   */
  public record OrderEventResult(String eventId, boolean duplicate, long conversions, String couponOutcome,
      long reversed) {
  }

  /**
   * {@code POST /campaigns/order-events} with {@code {"events": [...]}}: the totals and each event's
   * result, in the batch's order.
   */
  public record OrderEventBatchResult(int received, int applied, int duplicates, long conversions, long reversed,
      List<OrderEventResult> events) {

    public static OrderEventBatchResult of(List<OrderEventResult> events) {
      int duplicates = (int) events.stream().filter(OrderEventResult::duplicate).count();
      return new OrderEventBatchResult(events.size(), events.size() - duplicates, duplicates,
          events.stream().mapToLong(OrderEventResult::conversions).sum(),
          events.stream().mapToLong(OrderEventResult::reversed).sum(), events);
    }
  }
}
