package com.shopcrm.campaign.channel;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The default adapter for every channel: records each message in {@code sink_message}, where
 * {@code GET /campaigns/{id}/messages} shows them. Exactly once: the record commits with the
 * message's {@code sent} status (and the sink's primary key is the message id).
 */
@ApplicationScoped
public class LocalSinkAdapter implements ChannelAdapter {

  private final Clock clock;

  LocalSinkAdapter(Clock clock) {
    this.clock = clock;
  }

  /**
   * Claims up to {@code limit} due queued messages of the channel, marks them sent and records
   * them in the sink in ONE statement (no row travels to the service and back): the dispatcher's
   * fast path for this adapter. {@code FOR UPDATE SKIP LOCKED}: concurrent dispatchers claim
   * disjoint rows. The locked rows are updated by {@code ctid} (a TID scan): a join back to the
   * table on its key would let a cached generic plan hash the whole outbox on every batch. Returns
   * how many were claimed.
   */
  public Uni<Long> claimAndRecord(SqlClient tx, String channel, OffsetDateTime now, int limit) {
    return tx.preparedQuery("""
            WITH due AS (
                SELECT ctid FROM campaign_message
                 WHERE status = 'queued' AND channel = $1 AND scheduled_at <= $2
                 ORDER BY scheduled_at, id LIMIT $3
                   FOR UPDATE SKIP LOCKED),
            sent AS (
                UPDATE campaign_message m SET status = 'sent', sent_at = $2
                 WHERE m.ctid = ANY(ARRAY(SELECT ctid FROM due))
                RETURNING m.tenant_id, m.id, m.campaign_id, m.trigger_id, m.customer_id, m.arm, m.channel, m.subject,
                          m.body, m.coupon_code),
            sunk AS (
                INSERT INTO sink_message (tenant_id, message_id, campaign_id, trigger_id, customer_id, arm, channel,
                                          subject, body, coupon_code, delivered_at)
                SELECT tenant_id, id, campaign_id, trigger_id, customer_id, arm, channel, subject, body, coupon_code, $2
                  FROM sent
                ON CONFLICT DO NOTHING
                RETURNING 1)
            SELECT (SELECT count(*) FROM sent) AS claimed, (SELECT count(*) FROM sunk) AS recorded""")
        .execute(Tuple.of(channel, now, limit))
        .map(rows -> rows.iterator().next().getLong("claimed"));
  }

  /** Records an already claimed batch (one multi-row statement). */
  @Override
  public Uni<Map<Long, Failure>> send(SqlClient tx, String channel, List<OutboundMessage> batch) {
    return tx.preparedQuery("""
            INSERT INTO sink_message (tenant_id, message_id, campaign_id, trigger_id, customer_id, arm, channel,
                                      subject, body, coupon_code, delivered_at)
            SELECT m.tenant_id, m.id, m.campaign_id, m.trigger_id, m.customer_id, m.arm, m.channel, m.subject, m.body,
                   m.coupon_code, $3
              FROM campaign_message m
              JOIN unnest($1::text[], $2::bigint[]) AS k(tenant_id, id) ON m.tenant_id = k.tenant_id AND m.id = k.id
            ON CONFLICT DO NOTHING""")
        .execute(Tuple.of(batch.stream().map(OutboundMessage::tenantId).toArray(String[]::new),
            batch.stream().map(OutboundMessage::id).toArray(Long[]::new),
            OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)))
        .map(ignored -> Map.of());
  }
}
