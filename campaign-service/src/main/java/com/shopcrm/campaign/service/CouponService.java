package com.shopcrm.campaign.service;

import com.shopcrm.campaign.model.CouponRedeemInput;
import com.shopcrm.campaign.model.CouponView;
import com.shopcrm.campaign.repository.CouponRepository;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Coupons for checkouts and integrators (docs/CAMPAIGNS.md "Coupons"): look a code up, redeem it
 * synchronously. Redemption follows {@link CouponRedemption}, the rule order events use too; a
 * refusal is a problem and changes nothing (the caller's transaction rolls back).
 */
@ApplicationScoped
public class CouponService {

  static final String PROBLEMS = Problem.TYPE_BASE + "coupon-";

  private final Pool pool;
  private final CouponRepository coupons;
  private final CouponRedemption redemption;
  private final Clock clock;

  CouponService(Pool pool, CouponRepository coupons, CouponRedemption redemption, Clock clock) {
    this.pool = pool;
    this.coupons = coupons;
    this.redemption = redemption;
    this.clock = clock;
  }

  public Uni<CouponView> get(TenantContext tenant, String code) {
    return coupons.find(pool, tenant.tenantId(), code)
        .map(found -> found.map(CouponView::of).orElseThrow(() -> notFound(code)));
  }

  /** Redeems the code in the caller's transaction; 404, 409 or 422 problems for refusals. */
  public Uni<CouponView> redeem(SqlClient tx, TenantContext tenant, String code, CouponRedeemInput input) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    return redemption.redeem(tx, tenant.tenantId(), code, input.customerId(), input.orderNo(), input.orderAmount(), now)
        .map(result -> switch (result.outcome()) {
          case REDEEMED -> CouponView.of(result.coupon());
          case UNKNOWN_CODE -> throw notFound(code);
          case NOT_OWNER -> throw problem(409, "not-owner", "Not the coupon's owner",
              "Coupon " + code + " belongs to another customer than " + input.customerId() + ".");
          case ALREADY_REDEEMED -> throw problem(409, "already-redeemed", "Coupon already redeemed",
              "Coupon " + code + " was already redeemed by order " + result.coupon().redeemedOrderNo() + ".");
          case BELOW_MIN_SPEND -> throw problem(422, "below-min-spend", "Below min_spend",
              "Coupon " + code + " needs an order of at least " + result.coupon().minSpend().toPlainString()
                  + "; order_amount is " + input.orderAmount().toPlainString() + ".");
        });
  }

  private static ProblemException notFound(String code) {
    return ProblemException.notFound("coupon", code);
  }

  private static ProblemException problem(int status, String type, String title, String detail) {
    return new ProblemException(new Problem(PROBLEMS + type, title, status, detail, null));
  }
}
