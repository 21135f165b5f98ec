package com.shopcrm.customer.membership;

import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A tenant's membership programme: tiers ordered lowest first, each reached by spend (CNY, completed
 * minus refunded) over the rolling {@code period_days}, and the earning rules. A tenant that never
 * configured one gets {@link #defaults()}.
 */
public record MembershipProgram(
    @Schema(description = "Rolling window the tier thresholds are measured over", defaultValue = "365")
    @NotNull @Min(1) @Max(3660) Integer periodDays,
    @Schema(description = "Days below the current tier's threshold before a downgrade", defaultValue = "30")
    @NotNull @Min(0) @Max(3660) Integer graceDays,
    @Schema(description = "Points added to the first completed order", defaultValue = "100")
    @NotNull @Min(0) @Max(1_000_000) Integer firstOrderBonus,
    @Schema(description = "Factor on the points of orders in the customer's birthday month", defaultValue = "2")
    @NotNull @DecimalMin("1") @DecimalMax("10") BigDecimal birthdayMultiplier,
    @Schema(description = "Lowest first; the first has min_spend 0, thresholds strictly increase")
    @NotEmpty @Size(max = 10) List<@Valid @NotNull Tier> tiers) {

  /** One tier and its benefits. */
  public record Tier(
      @Schema(description = "Stable id, e.g. gold", required = true)
      @NotBlank @Pattern(regexp = "[a-z0-9_]{1,32}", message = "must be 1-32 of a-z, 0-9, _") String code,
      @Schema(description = "Display name, e.g. 金卡", required = true) @NotBlank @Size(max = 40) String name,
      @Schema(description = "Rolling spend (CNY) that reaches this tier", required = true)
      @NotNull @DecimalMin("0") BigDecimal minSpend,
      @Schema(description = "Points per CNY spent", required = true)
      @NotNull @DecimalMin("0") @DecimalMax("10") BigDecimal pointsMultiplier,
      @NotNull Boolean birthdayCoupon,
      @NotNull Boolean freeShipping) {
  }

  /** 普通会员 / 银卡 / 金卡 / 钻石 over 365 days, 30 days' grace, 100 points first-order bonus, x2 in the birthday month. */
  public static MembershipProgram defaults() {
    return new MembershipProgram(365, 30, 100, new BigDecimal("2"), List.of(
        new Tier("normal", "普通会员", BigDecimal.ZERO, new BigDecimal("1.0"), false, false),
        new Tier("silver", "银卡", new BigDecimal("1000"), new BigDecimal("1.2"), true, false),
        new Tier("gold", "金卡", new BigDecimal("5000"), new BigDecimal("1.5"), true, true),
        new Tier("diamond", "钻石", new BigDecimal("20000"), new BigDecimal("2.0"), true, true)));
  }

  /** Rules bean validation cannot say: unique codes, the first tier at 0, increasing thresholds. */
  public MembershipProgram checked() {
    List<Problem.FieldError> errors = new ArrayList<>();
    Set<String> codes = new HashSet<>();
    for (int i = 0; i < tiers.size(); i++) {
      Tier t = tiers.get(i);
      if (!codes.add(t.code())) {
        errors.add(new Problem.FieldError("tiers[" + i + "].code", "duplicate code '" + t.code() + "'"));
      }
      if (i == 0 && t.minSpend().signum() != 0) {
        errors.add(new Problem.FieldError("tiers[0].min_spend", "the lowest tier must start at 0"));
      }
      if (i > 0 && t.minSpend().compareTo(tiers.get(i - 1).minSpend()) <= 0) {
        errors.add(new Problem.FieldError("tiers[" + i + "].min_spend", "must be above the previous tier's"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors.stream()
          .map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse(""), errors));
    }
    return this;
  }

  public Tier lowest() {
    return tiers.get(0);
  }

  /** Position of the tier with this code; 0 (the lowest) for a code no longer configured. */
  public int rank(String code) {
    for (int i = 0; i < tiers.size(); i++) {
      if (tiers.get(i).code().equals(code)) {
        return i;
      }
    }
    return 0;
  }

  public Tier tier(String code) {
    return tiers.get(rank(code));
  }

  /** Position of the highest tier whose threshold the spend reaches. */
  public int qualifyingRank(BigDecimal rollingSpend) {
    int rank = 0;
    for (int i = 0; i < tiers.size(); i++) {
      if (rollingSpend.compareTo(tiers.get(i).minSpend()) >= 0) {
        rank = i;
      }
    }
    return rank;
  }
}
