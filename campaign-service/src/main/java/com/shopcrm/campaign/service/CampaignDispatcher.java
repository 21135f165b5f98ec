package com.shopcrm.campaign.service;

import com.shopcrm.campaign.channel.ChannelAdapter;
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
import java.util.List;

/**
 * Sends due queued messages through the {@link ChannelAdapter}, per channel at most its rate
 * ({@code crm.campaign.dispatch.<channel>-rate} messages per run of every second), in batches:
 * each batch is claimed (status {@code sent}) and handed to the adapter in ONE transaction, so a
 * restart or a second dispatcher never sends a message twice.
 */
@ApplicationScoped
public class CampaignDispatcher {

  private final Pool pool;
  private final OutboxRepository outbox;
  private final ChannelAdapter adapter;
  private final CampaignConfig config;
  private final Clock clock;

  CampaignDispatcher(Pool pool, OutboxRepository outbox, ChannelAdapter adapter, CampaignConfig config, Clock clock) {
    this.pool = pool;
    this.outbox = outbox;
    this.adapter = adapter;
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

  /** One run over every channel; the number of messages sent. */
  public Uni<Long> dispatch() {
    return Multi.createFrom().iterable(List.of("app", "email", "sms"))
        .onItem().transformToUniAndConcatenate(channel -> channel(channel, config.rate(channel)))
        .collect().with(java.util.stream.Collectors.summingLong(Long::longValue));
  }

  private Uni<Long> channel(String channel, int budget) {
    if (budget <= 0) {
      return Uni.createFrom().item(0L);
    }
    int size = Math.min(budget, config.dispatch().batchSize());
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    return pool.withTransaction(tx -> outbox.claim(tx, channel, now, size).flatMap(batch -> batch.isEmpty()
            ? Uni.createFrom().item(0L)
            : adapter.send(tx, channel, batch)
                .flatMap(failures -> outbox.fail(tx, batch, failures).replaceWith((long) batch.size()))))
        .flatMap(sent -> sent < size ? Uni.createFrom().item(sent)
            : channel(channel, budget - size).map(more -> sent + more));
  }
}
