package com.shopcrm.campaign.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/** The aggregates of a campaign report, each one grouped query. */
@ApplicationScoped
public class ReportRepository {

  /** Per arm: kept recipients, conversions (customers with an attributed order), revenue. */
  public record ArmTotals(long recipients, long conversions, BigDecimal revenue) {
  }

  /** Per arm and channel: messages sent / failed / queued. */
  public record Sends(long sent, long failed, long queued) {
  }

  public record CouponTotals(long issued, long redeemed, BigDecimal redeemedValue) {
  }

  /**
   * Per arm over the given campaigns (one, or the runs of a recurring one): each kept customer once
   * (its arm is the same in every run), each attributed order once.
   */
  public Uni<Map<String, ArmTotals>> arms(SqlClient client, String tenantId, Long[] campaignIds) {
    String recipients = campaignIds.length == 1 ? "campaign_recipient"
        : "(SELECT DISTINCT tenant_id, customer_id, arm, suppressed_reason FROM campaign_recipient"
            + " WHERE tenant_id = $1 AND campaign_id = ANY($2) AND suppressed_reason IS NULL)";
    String recipientFilter = campaignIds.length == 1 ? " AND r.campaign_id = ANY($2)" : "";
    return client.preparedQuery("""
            SELECT r.arm, count(*) AS recipients, count(v.customer_id) AS conversions,
                   coalesce(sum(v.revenue), 0) AS revenue
              FROM %s r
              LEFT JOIN (SELECT customer_id, sum(revenue) AS revenue
                           FROM (SELECT DISTINCT ON (order_no) customer_id, revenue FROM campaign_conversion
                                  WHERE tenant_id = $1 AND campaign_id = ANY($2)) o
                          GROUP BY customer_id) v
                ON v.customer_id = r.customer_id
             WHERE r.tenant_id = $1%s AND r.suppressed_reason IS NULL
             GROUP BY r.arm""".formatted(recipients, recipientFilter))
        .execute(Tuple.of(tenantId, campaignIds))
        .map(rows -> {
          Map<String, ArmTotals> map = new HashMap<>();
          rows.forEach(r -> map.put(r.getString("arm"), new ArmTotals(r.getLong("recipients"), r.getLong("conversions"),
              r.getBigDecimal("revenue"))));
          return map;
        });
  }

  /** Keyed "arm/channel"; {@code pending} messages (waiting for their products) count as queued. */
  public Uni<Map<String, Sends>> sends(SqlClient client, String tenantId, Long[] campaignIds) {
    return client.preparedQuery("""
            SELECT arm, channel, count(*) FILTER (WHERE status = 'sent') AS sent,
                   count(*) FILTER (WHERE status = 'failed') AS failed,
                   count(*) FILTER (WHERE status IN ('queued', 'pending')) AS queued
              FROM campaign_message WHERE tenant_id = $1 AND campaign_id = ANY($2) GROUP BY arm, channel""")
        .execute(Tuple.of(tenantId, campaignIds))
        .map(rows -> {
          Map<String, Sends> map = new HashMap<>();
          rows.forEach(r -> map.put(r.getString("arm") + "/" + r.getString("channel"),
              new Sends(r.getLong("sent"), r.getLong("failed"), r.getLong("queued"))));
          return map;
        });
  }

  public Uni<CouponTotals> coupons(SqlClient client, String tenantId, Long[] campaignIds) {
    return client.preparedQuery("""
            SELECT count(*) AS issued, count(redeemed_at) AS redeemed,
                   coalesce(sum(face_value) FILTER (WHERE redeemed_at IS NOT NULL), 0) AS value
              FROM campaign_coupon WHERE tenant_id = $1 AND campaign_id = ANY($2)""")
        .execute(Tuple.of(tenantId, campaignIds))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new CouponTotals(r.getLong("issued"), r.getLong("redeemed"), r.getBigDecimal("value"));
        });
  }
}
