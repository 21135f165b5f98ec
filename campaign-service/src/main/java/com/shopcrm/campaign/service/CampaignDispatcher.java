package com.shopcrm.campaign.service;

import com.shopcrm.campaign.channel.ChannelAdapter;
import com.shopcrm.campaign.channel.ChannelRouter;
import com.shopcrm.campaign.channel.LocalSinkAdapter;
import com.shopcrm.campaign.config.CampaignConfig;
import com.shopcrm.campaign.repository.OutboxRepository;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Sends due queued messages through each channel's adapter ({@link ChannelRouter}), per channel at
 * most its rate ({@code crm.campaign.dispatch.<channel>-rate} messages per run of every second), in
 * batches of {@code batch-size}, {@code parallel} batches at once: each batch is claimed (status
 * {@code sent}, {@code FOR UPDATE SKIP LOCKED}) and handed to the adapter in ONE transaction, so a
 * restart or a second dispatcher never sends a message twice through the local sink (exactly once)
 * and an external adapter sends again only a batch whose commit was lost (at least once). For the
 * local sink the claim and the record are one statement per batch.
 */
@ApplicationScoped
public class CampaignDispatcher {

  private final Pool pool;
  private final OutboxRepository outbox;
  private final ChannelRouter adapters;
  private final CampaignConfig config;
  private final Clock clock;

  CampaignDispatcher(Pool pool, OutboxRepository outbox, ChannelRouter adapters, CampaignConfig config, Clock clock) {
    this.pool = pool;
    this.outbox = outbox;
    this.adapters = adapters;
    this.config = config;
    this.clock = clock;
  }

  @Scheduled(identity = "campaign-dispatch", every = "${crm.campaign.dispatch.every:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return dispatch().onFailure().recoverWithItem(failure -> {
      Log.warnf(failure, "campaign dispatch failed, the next run retries");
      return 0L;
    }).replaceWithVoid();
  }

  /** One run over every channel; the number of messages handed to the adapters. */
  public Uni<Long> dispatch() {
    return Multi.createFrom().iterable(List.of("app", "email", "sms"))
        .onItem().transformToUniAndConcatenate(channel -> channel(channel, config.rate(channel))
            // one channel's trouble (a gateway or customer-service down) does not hold the others up;
            // its claimed batch rolled back to queued and the next run tries again
            .onFailure().recoverWithItem(failure -> {
              Log.warnf("dispatch of channel %s failed, its messages stay queued: %s", channel, failure.toString());
              return 0L;
            }))
        .collect().with(Collectors.summingLong(Long::longValue));
  }

  /**
   * The channel's budget split over {@code parallel} lanes, each claiming batches until its share is
   * spent or the queue is empty.
   */
  private Uni<Long> channel(String channel, int budget) {
    if (budget <= 0) {
      return Uni.createFrom().item(0L);
    }
    int size = Math.max(1, Math.min(budget, config.dispatch().batchSize()));
    int lanes = Math.max(1, Math.min(config.dispatch().parallel(), (budget + size - 1) / size));
    ChannelAdapter adapter = adapters.adapter(channel);
    List<Uni<Long>> work = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      int share = budget / lanes + (lane < budget % lanes ? 1 : 0);
      work.add(lane(channel, adapter, share, size));
    }
    return Uni.join().all(work).andFailFast().map(counts -> counts.stream().mapToLong(Long::longValue).sum());
  }

  private Uni<Long> lane(String channel, ChannelAdapter adapter, int budget, int batchSize) {
    if (budget <= 0) {
      return Uni.createFrom().item(0L);
    }
    int size = Math.min(budget, batchSize);
    return batch(channel, adapter, size)
        .flatMap(sent -> sent < size ? Uni.createFrom().item(sent)
            : lane(channel, adapter, budget - size, batchSize).map(more -> sent + more));
  }

  /** One batch in one transaction: claimed, sent, failures recorded. */
  private Uni<Long> batch(String channel, ChannelAdapter adapter, int size) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    if (adapter instanceof LocalSinkAdapter local) {
      return pool.withTransaction(tx -> local.claimAndRecord(tx, channel, now, size));
    }
    return pool.withTransaction(tx -> outbox.claim(tx, channel, now, size).flatMap(batch -> batch.isEmpty()
        ? Uni.createFrom().item(0L)
        : adapter.send(tx, channel, batch)
            .flatMap(failures -> outbox.fail(tx, batch, failures, now, config.dispatch().maxAttempts(),
                config.dispatch().retryBackoff()).replaceWith((long) batch.size()))));
  }
}
