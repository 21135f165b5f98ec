package com.shopcrm.campaign.channel;

import io.quarkus.arc.DefaultBean;
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
 * The default adapter for every channel: records each message in {@code sink_message} (one
 * multi-row statement per batch), where {@code GET /campaigns/{id}/messages} shows them.
 */
@DefaultBean
@ApplicationScoped
public class LocalSinkAdapter implements ChannelAdapter {

  private final Clock clock;

  LocalSinkAdapter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Uni<Map<Long, String>> send(SqlClient tx, String channel, List<OutboundMessage> batch) {
    return tx.preparedQuery("""
            INSERT INTO sink_message (tenant_id, message_id, campaign_id, customer_id, arm, channel, subject, body,
                                      coupon_code, delivered_at)
            SELECT m.tenant_id, m.id, m.campaign_id, m.customer_id, m.arm, m.channel, m.subject, m.body, m.coupon_code, $3
              FROM campaign_message m
              JOIN unnest($1::text[], $2::bigint[]) AS k(tenant_id, id) ON m.tenant_id = k.tenant_id AND m.id = k.id
            ON CONFLICT DO NOTHING""")
        .execute(Tuple.of(batch.stream().map(OutboundMessage::tenantId).toArray(String[]::new),
            batch.stream().map(OutboundMessage::id).toArray(Long[]::new),
            OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)))
        .map(ignored -> Map.of());
  }
}
