package com.shopcrm.customer.membership;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Requests and answers of the membership and points API. */
public final class MembershipModels {

  private MembershipModels() {
  }

  /** A customer's membership: {@code GET /customers/{id}/membership}. */
  public record MembershipView(
      long customerId,
      @Schema(description = "Tier code") String tier,
      String tierName,
      long pointsBalance,
      @Schema(description = "Spend (completed minus refunded, CNY) over the rolling period up to now") BigDecimal rollingSpend,
      int periodDays,
      Benefits benefits,
      @Schema(description = "The next tier up, null at the top") String nextTier,
      BigDecimal spendToNextTier,
      BigDecimal lifetimeSpend,
      int ordersCompleted,
      OffsetDateTime tierSince,
      @Schema(description = "Set while the rolling spend is below the tier's threshold") OffsetDateTime belowThresholdSince,
      @Schema(description = "When the tier drops unless spend recovers") OffsetDateTime downgradeAfter) {
  }

  public record Benefits(BigDecimal pointsMultiplier, boolean birthdayCoupon, boolean freeShipping) {
  }

  public enum EntryKind {
    @JsonProperty("earn") EARN,
    @JsonProperty("reverse") REVERSE,
    @JsonProperty("redeem") REDEEM,
    @JsonProperty("adjust") ADJUST,
    @JsonProperty("expire") EXPIRE;

    public String wire() {
      return name().toLowerCase();
    }

    public static EntryKind fromWire(String value) {
      return valueOf(value.toUpperCase());
    }
  }

  /** One ledger entry; points are signed. */
  public record LedgerEntry(long id, long customerId, EntryKind kind, long points, String reason, String source,
      OffsetDateTime occurredAt, OffsetDateTime expiresAt, OffsetDateTime createdAt) {
  }

  /** The answer of a redeem or adjust: the entry written and the balance after it. */
  public record PointsChange(long id, long customerId, EntryKind kind, long points, String reason, String source,
      long pointsBalance, OffsetDateTime createdAt) {
  }

  public record TierChange(long id, String fromTier, String toTier, String reason, BigDecimal rollingSpend,
      OffsetDateTime changedAt) {
  }

  public record AdjustInput(
      @Schema(description = "Signed, not 0; a negative adjustment may not take the balance below 0", required = true)
      @NotNull @Min(-100_000_000) @Max(100_000_000) Long points,
      @Schema(required = true) @NotBlank @Size(max = 500) String reason) {
  }

  public record RedeemInput(
      @Schema(required = true) @NotNull @Min(1) @Max(100_000_000) Long points,
      @Size(max = 500) String reason,
      @Schema(description = "What the points paid for, e.g. an order number or coupon") @Size(max = 200) String source) {
  }

  /** An order event from order-service's outbox. */
  public record OrderEvent(
      @Schema(required = true) @NotBlank @Size(max = 200) String eventId,
      @Schema(required = true, description = "order.completed and order.refunded act; others are acknowledged")
      @NotBlank @Size(max = 64) String type,
      @Schema(required = true) @NotNull Long customerId,
      @Schema(required = true) @NotBlank @Size(max = 200) String orderNo,
      @Schema(required = true) @NotNull OffsetDateTime occurredAt,
      @Schema(description = "total_amount (order.completed), refunded_amount: cumulative (order.refunded)")
      JsonNode payload) {
  }

  /** Several events of one tenant in one call, applied in order in ONE transaction (order-service's batched delivery). */
  public record OrderEventBatch(
      @Schema(required = true, maxItems = OrderEventBatch.MAX_EVENTS) List<OrderEvent> events) {
    public static final int MAX_EVENTS = 1000;
  }

  /** What a batch did, one result per event in the batch's order. */
  public record OrderEventResults(List<OrderEventResult> results) {
  }

  public record OrderEventResult(String eventId, String result, Long customerId, long points, String tier,
      Long pointsBalance, boolean duplicate) {

    OrderEventResult asDuplicate() {
      return new OrderEventResult(eventId, result, customerId, points, tier, pointsBalance, true);
    }
  }

  public record MaintenanceInput(
      @Schema(description = "Run as of this instant (default now): tests and back-fills") OffsetDateTime asOf) {
  }

  public record MaintenanceResult(OffsetDateTime asOf, int expiryEntries, long pointsExpired, int tiersDowngraded,
      int gracePeriodsStarted, int gracePeriodsCleared) {

    MaintenanceResult plus(MaintenanceResult o) {
      return new MaintenanceResult(asOf, expiryEntries + o.expiryEntries, pointsExpired + o.pointsExpired,
          tiersDowngraded + o.tiersDowngraded, gracePeriodsStarted + o.gracePeriodsStarted,
          gracePeriodsCleared + o.gracePeriodsCleared);
    }
  }
}
