package com.shopcrm.campaign.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Received order events, conversions and coupon redemptions. */
@ApplicationScoped
public class AttributionRepository {

  /** A coupon row, locked for the transaction. */
  public record Coupon(String code, long customerId, BigDecimal minSpend, String redeemedOrderNo) {
  }

  /** Records the event; {@code false} when it was received before (idempotency by event id). */
  public Uni<Boolean> record(SqlClient tx, String tenantId, String eventId, String type, Long customerId,
      String orderNo, OffsetDateTime occurredAt, OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO campaign_order_event (tenant_id, event_id, type, customer_id, order_no, occurred_at,
                                              received_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING""")
        .execute(Tuple.from(new Object[] {tenantId, eventId, type, customerId, orderNo, occurredAt, now}))
        .map(rows -> rows.rowCount() == 1);
  }

  public Uni<Void> outcome(SqlClient tx, String tenantId, String eventId, long conversions, String couponOutcome) {
    return tx.preparedQuery("UPDATE campaign_order_event SET conversions = $3, coupon_outcome = $4"
            + " WHERE tenant_id = $1 AND event_id = $2")
        .execute(Tuple.of(tenantId, eventId, conversions, couponOutcome)).replaceWithVoid();
  }

  /**
   * The order as a conversion of every launched campaign that holds the customer as a kept
   * recipient (variant or control) and whose attribution window covers {@code occurredAt}; once
   * per (campaign, order).
   */
  public Uni<Long> convert(SqlClient tx, String tenantId, long customerId, String orderNo, BigDecimal revenue,
      OffsetDateTime occurredAt) {
    return tx.preparedQuery("""
            INSERT INTO campaign_conversion (tenant_id, campaign_id, order_no, customer_id, revenue, occurred_at)
            SELECT r.tenant_id, r.campaign_id, $3, r.customer_id, $4, $5
              FROM campaign_recipient r
              JOIN campaign c ON c.tenant_id = r.tenant_id AND c.id = r.campaign_id
             WHERE r.tenant_id = $1 AND r.customer_id = $2 AND r.suppressed_reason IS NULL
               AND c.status = 'launched' AND $5 >= c.launched_at
               AND $5 < c.launched_at + make_interval(days => c.attribution_window_days)
            ON CONFLICT DO NOTHING""")
        .execute(Tuple.of(tenantId, customerId, orderNo, revenue, occurredAt)).map(rows -> (long) rows.rowCount());
  }

  public Uni<Optional<Coupon>> lockCoupon(SqlClient tx, String tenantId, String code) {
    return tx.preparedQuery("SELECT code, customer_id, min_spend, redeemed_order_no FROM campaign_coupon"
            + " WHERE tenant_id = $1 AND code = $2 FOR UPDATE")
        .execute(Tuple.of(tenantId, code))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new Coupon(r.getString("code"), r.getLong("customer_id"), r.getBigDecimal("min_spend"),
              r.getString("redeemed_order_no")));
        });
  }

  public Uni<Void> redeem(SqlClient tx, String tenantId, String code, String orderNo, OffsetDateTime at) {
    return tx.preparedQuery("UPDATE campaign_coupon SET redeemed_at = $4, redeemed_order_no = $3"
            + " WHERE tenant_id = $1 AND code = $2 AND redeemed_at IS NULL")
        .execute(Tuple.of(tenantId, code, orderNo, at)).replaceWithVoid();
  }
}
