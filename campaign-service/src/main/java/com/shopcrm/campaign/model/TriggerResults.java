package com.shopcrm.campaign.model;

import java.time.OffsetDateTime;

/** The answer bodies of the trigger endpoints other than the trigger itself. */
public final class TriggerResults {

  private TriggerResults() {
  }

  /**
   * One occasion a trigger fired for: {@code status} messaged (messages queued, coupon issued) or
   * suppressed ({@code suppressed_reason} consent | frequency_cap, nothing sent; the occasion is used).
   */
  public record Firing(long id, long customerId, String occasion, OffsetDateTime firedAt, String status,
      String suppressedReason, OffsetDateTime sendAt, boolean quietDelayed, long messages, String couponCode) {
  }

  /** What one evaluation of one trigger did. */
  public record Evaluation(long triggerId, long fired, long suppressed, long messages) {

    public Evaluation plus(Evaluation other) {
      return new Evaluation(-1, fired + other.fired, suppressed + other.suppressed, messages + other.messages);
    }
  }
}
