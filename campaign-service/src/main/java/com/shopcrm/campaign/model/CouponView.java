package com.shopcrm.campaign.model;

import com.shopcrm.campaign.repository.CouponRepository.Coupon;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A coupon as {@code GET /coupons/{code}} and {@code POST /coupons/{code}/redeem} show it: issued by
 * a campaign launch ({@code campaign_id}) or a trigger firing ({@code trigger_id}) to one customer.
 */
public record CouponView(
    String code,
    @Schema(description = "the campaign that issued it (null for a trigger's coupon)") Long campaignId,
    @Schema(description = "the trigger that issued it (null for a campaign's coupon)") Long triggerId,
    @Schema(description = "the only customer who may redeem it") long customerId,
    @Schema(description = "amount off in the shop's currency") BigDecimal faceValue,
    @Schema(description = "the order amount it needs (null: none)") BigDecimal minSpend,
    @Schema(description = "issued | redeemed", enumeration = {"issued", "redeemed"}) String status,
    OffsetDateTime redeemedAt,
    @Schema(description = "the order that redeemed it") String orderNo) {

  public static CouponView of(Coupon c) {
    return new CouponView(c.code(), c.campaignId(), c.triggerId(), c.customerId(), c.faceValue(), c.minSpend(),
        c.redeemed() ? "redeemed" : "issued", c.redeemedAt(), c.redeemedOrderNo());
  }
}
