package com.shopcrm.campaign.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** Received order events and conversions (coupon redemptions: {@link CouponRepository}). */
@ApplicationScoped
public class AttributionRepository {

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

  /**
   * A refund or cancellation of an attributed order: with nothing left of it ({@code net} ≤ 0) its
   * conversions go (the customer counts as converted only through other orders); a partial refund
   * lowers their revenue to what was kept. The number of conversions changed.
   */
  public Uni<Long> reverse(SqlClient tx, String tenantId, String orderNo, BigDecimal net) {
    String sql = net.signum() <= 0
        ? "DELETE FROM campaign_conversion WHERE tenant_id = $1 AND order_no = $2 AND $3::numeric <= 0"
        : "UPDATE campaign_conversion SET revenue = least(revenue, $3) WHERE tenant_id = $1 AND order_no = $2";
    return tx.preparedQuery(sql).execute(Tuple.of(tenantId, orderNo, net)).map(rows -> (long) rows.rowCount());
  }
}
