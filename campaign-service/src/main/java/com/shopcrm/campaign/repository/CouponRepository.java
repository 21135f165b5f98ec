package com.shopcrm.campaign.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Coupons issued by campaign launches and triggers ({@code campaign_coupon}): looked up and
 * redeemed in the caller's tenant only. The one place holding the redemption SQL, used by the
 * coupon API and by order events alike (through {@code service.CouponRedemption}).
 */
@ApplicationScoped
public class CouponRepository {

  private static final String COLUMNS =
      "code, campaign_id, trigger_id, customer_id, face_value, min_spend, redeemed_at, redeemed_order_no";

  /** One coupon row. */
  public record Coupon(String code, Long campaignId, Long triggerId, long customerId, BigDecimal faceValue,
      BigDecimal minSpend, OffsetDateTime redeemedAt, String redeemedOrderNo) {

    public boolean redeemed() {
      return redeemedOrderNo != null;
    }
  }

  public Uni<Optional<Coupon>> find(SqlClient client, String tenantId, String code) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM campaign_coupon WHERE tenant_id = $1 AND code = $2")
        .execute(Tuple.of(tenantId, code)).map(CouponRepository::first);
  }

  /**
   * The coupon locked for the caller's transaction ({@code FOR UPDATE}): a concurrent redemption of
   * the same code waits here until this transaction ends, then sees its outcome.
   */
  public Uni<Optional<Coupon>> lock(SqlClient tx, String tenantId, String code) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM campaign_coupon WHERE tenant_id = $1 AND code = $2 FOR UPDATE")
        .execute(Tuple.of(tenantId, code)).map(CouponRepository::first);
  }

  /** Marks a still unredeemed coupon redeemed by the order; empty when it was redeemed already. */
  public Uni<Optional<Coupon>> redeem(SqlClient tx, String tenantId, String code, String orderNo, OffsetDateTime at) {
    return tx.preparedQuery("UPDATE campaign_coupon SET redeemed_at = $4, redeemed_order_no = $3"
            + " WHERE tenant_id = $1 AND code = $2 AND redeemed_at IS NULL RETURNING " + COLUMNS)
        .execute(Tuple.of(tenantId, code, orderNo, at)).map(CouponRepository::first);
  }

  private static Optional<Coupon> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row r = rows.iterator().next();
    return Optional.of(new Coupon(r.getString("code"), r.getLong("campaign_id"), r.getLong("trigger_id"),
        r.getLong("customer_id"), r.getBigDecimal("face_value"), r.getBigDecimal("min_spend"),
        r.getOffsetDateTime("redeemed_at"), r.getString("redeemed_order_no")));
  }
}
