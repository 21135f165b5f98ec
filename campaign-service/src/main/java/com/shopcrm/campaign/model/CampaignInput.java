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
    @Valid Schedule schedule) {

  /** An A/B arm: share of the non-control audience by weight, and its message per channel. */
  public record Variant(@NotBlank @Size(max = 100) String name, @NotNull @Positive Integer weight,
      @NotNull @Valid Message message) {
  }

  /** Templates; {@code {name}} and {@code {coupon}} are replaced per recipient. */
  public record Message(@Size(max = 500) String sms, @Size(max = 200) String emailSubject,
      @Size(max = 20000) String emailBody, @Size(max = 500) String app) {
  }

  /**
   * {@code coupon}: {@code amount} off or {@code discount} percent off, optional {@code min_spend};
   * {@code full_reduction} (满减): {@code tiers}; {@code flash_sale}: {@code discount} percent off in
   * {@code starts_at..ends_at}. {@code budget} caps the spend (informational).
   */
  public record Offer(
      @NotNull @Pattern(regexp = "coupon|full_reduction|flash_sale",
          message = "must be one of coupon, full_reduction, flash_sale") String type,
      @DecimalMin(value = "0", inclusive = false) BigDecimal amount,
      @Schema(description = "percent off, 1..99") @DecimalMin("1") @Max(99) BigDecimal discount,
      @DecimalMin("0") BigDecimal minSpend,
      @Size(max = 10) List<@Valid @NotNull Tier> tiers,
      @DecimalMin("0") BigDecimal budget,
      OffsetDateTime startsAt,
      OffsetDateTime endsAt) {
  }

  /** 满减 tier: spend at least {@code min_spend}, get {@code amount} off. */
  public record Tier(@NotNull @Positive BigDecimal minSpend, @NotNull @Positive BigDecimal amount) {
  }

  /** {@code now} (at launch) or {@code at} a time. */
  public record Schedule(@NotNull @Pattern(regexp = "now|at", message = "must be now or at") String type,
      OffsetDateTime at) {
  }
}
