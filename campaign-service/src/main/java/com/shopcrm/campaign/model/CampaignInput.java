package com.shopcrm.campaign.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /campaigns} (and the result of a {@code PATCH}): what a campaign is before launch.
 * Cross-field rules (a message per chosen channel, the offer's shape) are checked by
 * {@code CampaignRules}.
 */
public record CampaignInput(
    @NotBlank @Size(max = 200) String name,
    @Schema(description = "activate | repurchase | win_back | clear_stock | other")
    @Pattern(regexp = "activate|repurchase|win_back|clear_stock|other",
        message = "must be one of activate, repurchase, win_back, clear_stock, other") String goal,
    @NotNull Long segmentId,
    @Schema(description = "sms | email | app") @NotEmpty @Size(max = 3) List<String> channels,
    @NotEmpty @Size(max = 10) List<@Valid @NotNull Variant> variants,
    @NotNull @Min(0) @Max(50) Integer controlPct,
    @NotNull @Min(1) @Max(365) Integer attributionWindowDays,
    @Valid Offer offer,
    @Schema(description = "cost of one sent message per channel, for ROI, e.g. {\"sms\": 0.05}")
    Map<String, BigDecimal> costPerMessage,
    @Valid Schedule schedule,
    @Schema(description = "the most the campaign may cost (messages sent x cost_per_message + coupon face values),"
        + " across all runs of a recurring campaign; recipients beyond it are suppressed (reason budget)")
    @DecimalMin("0") BigDecimal budget) {

  /** An A/B arm: share of the non-control audience by weight, and its message per channel. */
  public record Variant(@NotBlank @Size(max = 100) String name, @NotNull @Positive Integer weight,
      @NotNull @Valid Message message) {
  }

  /**
   * Templates; {@code {name}} and {@code {coupon}} are replaced per recipient, {@code {product}} and
   * {@code {products}} (offer {@code new_product}) when the message is sent.
   */
  public record Message(@Size(max = 500) String sms, @Size(max = 200) String emailSubject,
      @Size(max = 20000) String emailBody, @Size(max = 500) String app) {
  }

  /**
   * {@code coupon}: {@code amount} off or {@code discount} percent off, optional {@code min_spend};
   * {@code full_reduction} (满减): {@code tiers}; {@code flash_sale}: {@code discount} percent off in
   * {@code starts_at..ends_at}; {@code new_product}: {@code products} to introduce, each recipient
   * getting the {@code per_message} of them it is likeliest to buy (scoring-service's
   * recommendations). {@code budget}: kept for compatibility, the campaign's {@code budget} when that
   * is absent.
   */
  public record Offer(
      @NotNull @Pattern(regexp = "coupon|full_reduction|flash_sale|new_product",
          message = "must be one of coupon, full_reduction, flash_sale, new_product") String type,
      @DecimalMin(value = "0", inclusive = false) BigDecimal amount,
      @Schema(description = "percent off, 1..99") @DecimalMin("1") @Max(99) BigDecimal discount,
      @DecimalMin("0") BigDecimal minSpend,
      @Size(max = 10) List<@Valid @NotNull Tier> tiers,
      @DecimalMin("0") BigDecimal budget,
      OffsetDateTime startsAt,
      OffsetDateTime endsAt,
      @Size(max = 20) List<@Valid @NotNull Product> products,
      @Schema(description = "new_product: how many products each message names, 1..3 (default 1)")
      @Min(1) @Max(3) Integer perMessage) {
  }

  /** A product a {@code new_product} offer introduces (often not sold yet, so named here). */
  public record Product(@NotBlank @Size(max = 100) String sku, @NotBlank @Size(max = 200) String name,
      @Size(max = 100) String category) {
  }

  /** 满减 tier: spend at least {@code min_spend}, get {@code amount} off. */
  public record Tier(@NotNull @Positive BigDecimal minSpend, @NotNull @Positive BigDecimal amount) {
  }

  /**
   * {@code now} (at launch), {@code at} a time, or {@code recurring}: a run every {@code every}
   * (daily, weekly, monthly or an ISO-8601 period/duration such as P3D or PT12H, at least an hour)
   * from {@code at} (default: the launch), until {@code until} or {@code max_runs} runs; with
   * {@code new_members_only} a run skips customers of earlier runs.
   */
  public record Schedule(
      @NotNull @Pattern(regexp = "now|at|recurring", message = "must be now, at or recurring") String type,
      OffsetDateTime at,
      @Size(max = 40) String every,
      OffsetDateTime until,
      @Min(1) @Max(1000) Integer maxRuns,
      Boolean newMembersOnly) {

    public static Schedule now() {
      return new Schedule("now", null, null, null, null, null);
    }

    public static Schedule at(OffsetDateTime at) {
      return new Schedule("at", at, null, null, null, null);
    }

    public boolean recurring() {
      return "recurring".equals(type);
    }
  }
}
