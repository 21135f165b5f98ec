package com.shopcrm.campaign.channel;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.List;
import java.util.Map;

/**
 * Sends claimed messages of one channel. Called inside the dispatcher's claim transaction
 * ({@code tx}): an adapter that records locally writes through it, so its record commits with
 * the messages' {@code sent} status (exactly once); an adapter to an outside gateway sends, and a
 * crash before the commit sends that batch again (at least once, the message id as idempotency key).
 */
public interface ChannelAdapter {

  /** Why one message was not delivered; {@code retryable} ones are queued again (up to the attempt limit). */
  record Failure(String reason, boolean retryable) {

    public static Failure permanent(String reason) {
      return new Failure(reason, false);
    }

    public static Failure transientFailure(String reason) {
      return new Failure(reason, true);
    }
  }

  /**
   * @return the messages that failed, by id (the others count as sent); a failed {@code Uni} rolls
   *     the whole batch back to {@code queued} for the next run
   */
  Uni<Map<Long, Failure>> send(SqlClient tx, String channel, List<OutboundMessage> batch);
}
