package com.shopcrm.campaign.repository;

import com.shopcrm.campaign.channel.ChannelAdapter.Failure;
import com.shopcrm.campaign.channel.OutboundMessage;
import com.shopcrm.campaign.model.CampaignResults.SinkMessage;
import com.shopcrm.common.page.PageRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The message outbox ({@code campaign_message}) and what the local sink received. */
@ApplicationScoped
public class OutboxRepository {

  /**
   * Claims up to {@code limit} due queued messages of a channel (all tenants, oldest first) and
   * marks them sent in the same statement. {@code FOR UPDATE SKIP LOCKED}: concurrent dispatchers
   * (threads or replicas) claim disjoint rows; until the transaction commits nobody else sees them.
   * The locked rows are updated by {@code ctid} (TID scan, whatever the outbox's size).
   */
  public Uni<List<OutboundMessage>> claim(SqlClient tx, String channel, OffsetDateTime now, int limit) {
    return tx.preparedQuery("""
            WITH due AS (
                SELECT ctid FROM campaign_message
                 WHERE status = 'queued' AND channel = $1 AND scheduled_at <= $2
                 ORDER BY scheduled_at, id LIMIT $3
                   FOR UPDATE SKIP LOCKED)
            UPDATE campaign_message m SET status = 'sent', sent_at = $2
             WHERE m.ctid = ANY(ARRAY(SELECT ctid FROM due))
            RETURNING m.tenant_id, m.id, m.campaign_id, m.trigger_id, m.customer_id, m.arm, m.channel, m.subject,
                      m.body, m.coupon_code, m.attempts""")
        .execute(Tuple.of(channel, now, limit))
        .map(rows -> {
          List<OutboundMessage> list = new ArrayList<>();
          rows.forEach(r -> list.add(new OutboundMessage(r.getString("tenant_id"), r.getLong("id"),
              r.getLong("campaign_id"), r.getLong("trigger_id"), r.getLong("customer_id"), r.getString("arm"),
              r.getString("channel"), r.getString("subject"), r.getString("body"), r.getString("coupon_code"),
              r.getInteger("attempts"))));
          return list;
        });
  }

  /** A message waiting for its products ({@code new_product} offer). */
  public record Pending(String tenantId, long id, long campaignId, long customerId, String subject, String body) {
  }

  /**
   * Claims up to {@code limit} pending messages (all tenants, oldest first), locked until the
   * transaction ends ({@code SKIP LOCKED}: concurrent pickers take disjoint rows).
   */
  public Uni<List<Pending>> claimPending(SqlClient tx, int limit) {
    return tx.preparedQuery("""
            SELECT tenant_id, id, campaign_id, customer_id, subject, body FROM campaign_message
             WHERE status = 'pending' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED""")
        .execute(Tuple.of(limit))
        .map(rows -> {
          List<Pending> list = new ArrayList<>();
          rows.forEach(r -> list.add(new Pending(r.getString("tenant_id"), r.getLong("id"), r.getLong("campaign_id"),
              r.getLong("customer_id"), r.getString("subject"), r.getString("body"))));
          return list;
        });
  }

  /** Pending messages with their final subject and body, queued for the dispatcher. */
  public Uni<Void> queue(SqlClient tx, List<Pending> rendered) {
    if (rendered.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return tx.preparedQuery("""
            UPDATE campaign_message m SET subject = k.subject, body = k.body, status = 'queued'
              FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) AS k(tenant_id, id, subject, body)
             WHERE m.tenant_id = k.tenant_id AND m.id = k.id AND m.status = 'pending'""")
        .execute(Tuple.of(rendered.stream().map(Pending::tenantId).toArray(String[]::new),
            rendered.stream().map(Pending::id).toArray(Long[]::new),
            rendered.stream().map(Pending::subject).toArray(String[]::new),
            rendered.stream().map(Pending::body).toArray(String[]::new)))
        .replaceWithVoid();
  }

  /**
   * Records the adapter's failures (by id within the claimed batch): a retryable one goes back to
   * {@code queued}, due again after {@code attempts × backoff}, until {@code maxAttempts} attempts
   * were made; any other one is {@code failed}. Every failure counts an attempt and keeps its reason.
   */
  public Uni<Void> fail(SqlClient tx, List<OutboundMessage> batch, Map<Long, Failure> failures, OffsetDateTime now,
      int maxAttempts, Duration backoff) {
    if (failures.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<OutboundMessage> failed = batch.stream().filter(m -> failures.containsKey(m.id())).toList();
    return tx.preparedQuery("""
            UPDATE campaign_message m
               SET status = CASE WHEN k.retry AND m.attempts + 1 < $5 THEN 'queued' ELSE 'failed' END,
                   scheduled_at = CASE WHEN k.retry AND m.attempts + 1 < $5
                                       THEN $6::timestamptz + make_interval(secs => $7::float8 * (m.attempts + 1))
                                       ELSE m.scheduled_at END,
                   sent_at = NULL, error = k.error, attempts = m.attempts + 1
              FROM unnest($1::text[], $2::bigint[], $3::text[], $4::boolean[]) AS k(tenant_id, id, error, retry)
             WHERE m.tenant_id = k.tenant_id AND m.id = k.id""")
        .execute(Tuple.from(new Object[] {failed.stream().map(OutboundMessage::tenantId).toArray(String[]::new),
            failed.stream().map(OutboundMessage::id).toArray(Long[]::new),
            failed.stream().map(m -> failures.get(m.id()).reason()).toArray(String[]::new),
            failed.stream().map(m -> failures.get(m.id()).retryable()).toArray(Boolean[]::new),
            maxAttempts, now, (double) backoff.toSeconds()}))
        .replaceWithVoid();
  }

  /** A keyset page of the campaign's sink messages by message id, optionally of one channel. */
  public Uni<List<SinkMessage>> sinkPage(SqlClient client, String tenantId, long campaignId, String channel,
      PageRequest page) {
    return client.preparedQuery("""
            SELECT message_id, customer_id, arm, channel, subject, body, coupon_code, delivered_at FROM sink_message
             WHERE tenant_id = $1 AND campaign_id = $2 AND message_id > $3 AND ($4::text IS NULL OR channel = $4)
             ORDER BY message_id LIMIT $5""")
        .execute(Tuple.from(new Object[] {tenantId, campaignId, page.after() == null ? 0L : page.after(), channel,
            page.fetchSize()}))
        .map(rows -> {
          List<SinkMessage> list = new ArrayList<>();
          rows.forEach(r -> list.add(new SinkMessage(r.getLong("message_id"), r.getLong("customer_id"),
              r.getString("arm"), r.getString("channel"), r.getString("subject"), r.getString("body"),
              r.getString("coupon_code"), r.getOffsetDateTime("delivered_at"))));
          return list;
        });
  }
}
