package com.shopcrm.campaign.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Received order events and conversions (coupon redemptions: {@link CouponRepository}). The
 * statements take index-aligned arrays: a batch of events costs one round trip per step, not one
 * per event (order-service delivers hundreds per call while an import's events drain).
 */
@ApplicationScoped
public class AttributionRepository {

  /**
   * Records the events (distinct ids); returns the ids that are new (idempotency by event id). A
   * concurrent call holding one of them waits here until it commits, then finds it taken.
   */
  public Uni<Set<String>> record(SqlClient tx, String tenantId, String[] eventIds, String[] types, Long[] customerIds,
      String[] orderNos, OffsetDateTime[] occurredAt, OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO campaign_order_event (tenant_id, event_id, type, customer_id, order_no, occurred_at,
                                              received_at)
            SELECT $1, e.event_id, e.type, e.customer_id, e.order_no, e.occurred_at, $7
              FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[])
                   WITH ORDINALITY AS e(event_id, type, customer_id, order_no, occurred_at, n)
             ORDER BY e.n
            ON CONFLICT DO NOTHING
            RETURNING event_id""")
        .execute(Tuple.from(new Object[] {tenantId, eventIds, types, customerIds, orderNos, occurredAt, now}))
        .map(rows -> {
          Set<String> fresh = new HashSet<>();
          rows.forEach(row -> fresh.add(row.getString(0)));
          return fresh;
        });
  }

  /** What the events came to: conversions made and the coupon outcome, per event. */
  public Uni<Void> outcomes(SqlClient tx, String tenantId, String[] eventIds, Integer[] conversions,
      String[] couponOutcomes) {
    if (eventIds.length == 0) {
      return Uni.createFrom().voidItem();
    }
    return tx.preparedQuery("""
            UPDATE campaign_order_event e SET conversions = o.conversions, coupon_outcome = o.coupon_outcome
              FROM unnest($2::text[], $3::int[], $4::text[]) AS o(event_id, conversions, coupon_outcome)
             WHERE e.tenant_id = $1 AND e.event_id = o.event_id""")
        .execute(Tuple.of(tenantId, eventIds, conversions, couponOutcomes)).replaceWithVoid();
  }

  /**
   * Each order as a conversion of every launched campaign that holds its customer as a kept
   * recipient (variant or control) and whose attribution window covers its time; once per
   * (campaign, order). The orders must be distinct. Returns the conversions made per order.
   */
  public Uni<Map<String, Integer>> convert(SqlClient tx, String tenantId, Long[] customerIds, String[] orderNos,
      BigDecimal[] revenues, OffsetDateTime[] occurredAt) {
    if (orderNos.length == 0) {
      return Uni.createFrom().item(Map.of());
    }
    return tx.preparedQuery("""
            INSERT INTO campaign_conversion (tenant_id, campaign_id, order_no, customer_id, revenue, occurred_at)
            SELECT r.tenant_id, r.campaign_id, o.order_no, r.customer_id, o.revenue::numeric, o.occurred_at
              FROM unnest($2::bigint[], $3::text[], $4::text[], $5::timestamptz[])
                   AS o(customer_id, order_no, revenue, occurred_at)
              JOIN campaign_recipient r ON r.tenant_id = $1 AND r.customer_id = o.customer_id
              JOIN campaign c ON c.tenant_id = r.tenant_id AND c.id = r.campaign_id
             WHERE r.suppressed_reason IS NULL
               AND c.status = 'launched' AND o.occurred_at >= c.launched_at
               AND o.occurred_at < c.launched_at + make_interval(days => c.attribution_window_days)
            ON CONFLICT DO NOTHING
            RETURNING order_no""")
        .execute(Tuple.of(tenantId, customerIds, orderNos, plain(revenues), occurredAt))
        .map(AttributionRepository::countByOrder);
  }

  /**
   * Refunds or cancellations of attributed orders (distinct): an order with nothing left of it
   * ({@code net} ≤ 0) loses its conversions (the customer counts as converted only through other
   * orders); a partial refund lowers their revenue to what was kept. Returns the conversions
   * changed per order.
   */
  public Uni<Map<String, Integer>> reverse(SqlClient tx, String tenantId, String[] orderNos, BigDecimal[] nets) {
    if (orderNos.length == 0) {
      return Uni.createFrom().item(Map.of());
    }
    return tx.preparedQuery("""
            WITH o AS (SELECT order_no, net::numeric AS net FROM unnest($2::text[], $3::text[]) AS u(order_no, net)),
                 gone AS (DELETE FROM campaign_conversion c USING o
                           WHERE c.tenant_id = $1 AND c.order_no = o.order_no AND o.net <= 0
                       RETURNING c.order_no),
                 kept AS (UPDATE campaign_conversion c SET revenue = least(c.revenue, o.net) FROM o
                           WHERE c.tenant_id = $1 AND c.order_no = o.order_no AND o.net > 0
                       RETURNING c.order_no)
            SELECT order_no FROM gone UNION ALL SELECT order_no FROM kept""")
        .execute(Tuple.of(tenantId, orderNos, plain(nets)))
        .map(AttributionRepository::countByOrder);
  }

  private static Map<String, Integer> countByOrder(Iterable<io.vertx.mutiny.sqlclient.Row> rows) {
    Map<String, Integer> counts = new HashMap<>();
    rows.forEach(row -> counts.merge(row.getString(0), 1, Integer::sum));
    return counts;
  }

  /** Amounts as text, cast to numeric in SQL (exact, whatever their scale). */
  private static String[] plain(BigDecimal[] amounts) {
    String[] out = new String[amounts.length];
    for (int i = 0; i < amounts.length; i++) {
      out[i] = amounts[i].toPlainString();
    }
    return out;
  }
}
