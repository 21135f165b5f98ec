package com.shopcrm.campaign.model;

import com.shopcrm.campaign.model.CampaignInput.Message;
import com.shopcrm.campaign.model.CampaignInput.Offer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /triggers} (and the result of a {@code PATCH}): a flow {@code wait → condition →
 * message}. Which wait field applies depends on {@code kind}; cross-field rules are checked by
 * {@code TriggerRules}.
 */
public record TriggerInput(
    @NotBlank @Size(max = 200) String name,
    @Schema(description = "birthday | cart_abandon | win_back | review_request | repurchase | entered_segment")
    @NotNull @Pattern(regexp = "birthday|cart_abandon|win_back|review_request|repurchase|entered_segment",
        message = "must be one of birthday, cart_abandon, win_back, review_request, repurchase, entered_segment")
    String kind,
    @Schema(description = "default true") Boolean enabled,
    @Schema(description = "birthday: days before the birthday (0 = on the day)") @Min(0) @Max(90) Integer daysBefore,
    @Schema(description = "cart_abandon: hours without an order after the cart_abandon event") @Min(1) @Max(720)
    Integer waitHours,
    @Schema(description = "review_request: days after completion; win_back: days after entering the state; "
        + "repurchase: days after the expected next order date; entered_segment: days after entering the segment "
        + "(default 0)") @Min(0) @Max(365) Integer waitDays,
    @Schema(description = "win_back: the lifecycle stage that counts as at risk, e.g. at_risk") @Size(max = 100)
    String lifecycleStage,
    @Schema(description = "win_back: p_alive below this counts as at risk") @DecimalMin("0") @DecimalMax("1")
    BigDecimal pAliveBelow,
    @Schema(description = "condition: only members of this saved segment (its rule, evaluated at firing); "
        + "entered_segment: the segment whose entries fire it (required)")
    Long segmentId,
    @Schema(description = "sms | email | app") @NotEmpty @Size(max = 3) List<String> channels,
    @Schema(description = "templates per chosen channel; {name} and {coupon} are replaced")
    @NotNull @Valid Message message,
    @Valid Offer offer) {

  public boolean enabledOrDefault() {
    return enabled == null || enabled;
  }
}
