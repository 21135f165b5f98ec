package com.shopcrm.campaign.channel;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.List;
import java.util.Map;

/**
 * Sends claimed messages of one channel. Called inside the dispatcher's claim transaction
 * ({@code tx}): an adapter that records locally writes through it, so its record commits with
 * the messages' {@code sent} status (exactly once); an adapter to an outside gateway sends, and a
 * crash before the commit sends that batch again (at least once).
 */
public interface ChannelAdapter {

  /**
   * @return the messages that failed, by id, with the reason (the others count as sent); a failed
   *     {@code Uni} rolls the batch back to {@code queued} for the next run
   */
  Uni<Map<Long, String>> send(SqlClient tx, String channel, List<OutboundMessage> batch);
}
