package com.shopcrm.campaign.model;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /coupons/{code}/redeem}: who redeems it, for which order, of what amount. */
public record CouponRedeemInput(
    @Schema(description = "the customer paying; must be the coupon's owner") @NotNull @Positive Long customerId,
    @Schema(description = "the order (order-service's order_no)") @NotBlank @Size(max = 64) String orderNo,
    @Schema(description = "the order's amount, checked against min_spend")
    @NotNull @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal orderAmount) {
}
