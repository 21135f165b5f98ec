package com.shopcrm.campaign.service;

import com.shopcrm.campaign.repository.CouponRepository;
import com.shopcrm.campaign.repository.CouponRepository.Coupon;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * The one redemption rule, shared by {@code POST /coupons/{code}/redeem} and order events: a code
 * of the caller's shop is redeemed once, by its owner, for an order reaching its {@code min_spend}.
 * The coupon row is locked first, so two redemptions of one code never both succeed; redeeming again
 * for the order that redeemed it is a success that changes nothing (a retried checkout, or the order's
 * event arriving after the checkout redeemed the code through the API).
 */
@ApplicationScoped
public class CouponRedemption {

  /** What became of a redemption; {@link #code} is the value recorded on order events. */
  public enum Outcome {
    REDEEMED("redeemed"), UNKNOWN_CODE("unknown_code"), NOT_OWNER("not_owner"),
    ALREADY_REDEEMED("already_redeemed"), BELOW_MIN_SPEND("below_min_spend");

    public final String code;

    Outcome(String code) {
      this.code = code;
    }
  }

  /** The outcome and the coupon as it stands afterwards (null for an unknown code). */
  public record Result(Outcome outcome, Coupon coupon) {
  }

  private final CouponRepository coupons;

  CouponRedemption(CouponRepository coupons) {
    this.coupons = coupons;
  }

  /**
   * Redeems {@code code} for the customer's order in the caller's transaction; anything but
   * {@link Outcome#REDEEMED} changes nothing.
   *
   * @param orderAmount the order's amount, checked against {@code min_spend}; null skips the check
   * @param at          the redemption time recorded on the coupon
   */
  public Uni<Result> redeem(SqlClient tx, String tenantId, String code, long customerId, String orderNo,
      BigDecimal orderAmount, OffsetDateTime at) {
    return coupons.lock(tx, tenantId, code).flatMap(found -> {
      if (found.isEmpty()) {
        return result(Outcome.UNKNOWN_CODE, null);
      }
      Coupon coupon = found.get();
      if (coupon.customerId() != customerId) {
        return result(Outcome.NOT_OWNER, coupon);
      }
      if (coupon.redeemed()) {
        return result(coupon.redeemedOrderNo().equals(orderNo) ? Outcome.REDEEMED : Outcome.ALREADY_REDEEMED, coupon);
      }
      if (coupon.minSpend() != null && orderAmount != null && orderAmount.compareTo(coupon.minSpend()) < 0) {
        return result(Outcome.BELOW_MIN_SPEND, coupon);
      }
      return coupons.redeem(tx, tenantId, code, orderNo, at)
          .map(redeemed -> new Result(Outcome.REDEEMED, redeemed.orElseThrow()));
    });
  }

  private static Uni<Result> result(Outcome outcome, Coupon coupon) {
    return Uni.createFrom().item(new Result(outcome, coupon));
  }
}
