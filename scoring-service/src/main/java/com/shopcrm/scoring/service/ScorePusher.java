package com.shopcrm.scoring.service;

import static java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.scoring.client.CampaignProfiles;
import com.shopcrm.scoring.config.CampaignConfig;
import com.shopcrm.scoring.config.ScoringConfig;
import com.shopcrm.scoring.repository.ScorePushRepository;
import com.shopcrm.scoring.repository.ScorePushRepository.Queued;
import com.shopcrm.scoring.repository.ScorePushRepository.RunPush;
import com.shopcrm.scoring.repository.ScorePushRepository.ScoreProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pushes scores to campaign-service's read model ({@code POST /api/v1/segments/profiles/sync}),
 * at least once: every full run's scores once the run is completed (a cursor per tenant, streamed
 * in batches in customer id order) and every customer rescored by an order event (the outbox the
 * event's transaction wrote). One thread, every {@code crm.campaign.push.interval}: a batch goes
 * for one tenant with that tenant's token; a failed call (campaign-service down, 5xx, timeout)
 * keeps the batch where it is and tries again after a back-off that doubles up to a maximum. The
 * state is in the database, so a restart resumes where the last successful batch ended.
 *
 * <p>Sent per customer: {@code customer_id, rfm_segment, rfm11, lifecycle_stage, p_alive,
 * predicted_clv_365d, frequency, monetary, recency_days, last_order_at} (the last counted order on
 * the last purchase day) {@code , expected_next_order_at} (the expected next order day's start in
 * the shop's time zone). A customer left without a score (every order cancelled or refunded) is
 * sent with those fields null, which clears them. Within one instance a run's batch is read and
 * sent before the outbox is read, so a newer event score is never overtaken by an older run row.
 */
@ApplicationScoped
public class ScorePusher {

  private static final Duration DB_WAIT = Duration.ofSeconds(30);

  private final Pool pool;
  private final ScorePushRepository pushes;
  private final CampaignProfiles campaign;
  private final CampaignConfig config;
  private final ObjectMapper json;
  private final ZoneId shopZone;
  private ScheduledExecutorService executor;

  ScorePusher(Pool pool, ScorePushRepository pushes, CampaignProfiles campaign, CampaignConfig config,
      ScoringConfig scoring, ObjectMapper json) {
    this.pool = pool;
    this.pushes = pushes;
    this.campaign = campaign;
    this.config = config;
    this.json = json;
    this.shopZone = ZoneId.of(scoring.shopZone());
  }

  /** Whether scores are pushed (and so queued) at all. */
  public boolean enabled() {
    return campaign.enabled();
  }

  void start(@Observes StartupEvent event) {
    if (!enabled()) {
      return;
    }
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "score-push");
      t.setDaemon(true);
      return t;
    });
    long every = config.push().interval().toMillis();
    executor.scheduleWithFixedDelay(this::pushDue, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** One round: every due run push to its end (or first failure), then every due outbox batch. */
  void pushDue() {
    try {
      for (RunPush run : pushes.dueRuns(pool).await().atMost(DB_WAIT)) {
        pushRun(run);
      }
      for (String tenant : pushes.dueOutboxTenants(pool).await().atMost(DB_WAIT)) {
        pushOutbox(tenant);
      }
    } catch (RuntimeException e) {
      Log.warnf(e, "score push round failed; retried in %s", config.push().interval());
    }
  }

  private void pushRun(RunPush run) {
    int size = config.push().batchSize();
    long after = run.afterCustomerId();
    int pushed = run.pushed();
    while (true) {
      List<ScoreProfile> batch = pushes.scoresAfter(pool, run.tenantId(), after, size).await().atMost(DB_WAIT);
      boolean last = batch.size() < size;
      if (!batch.isEmpty()) {
        try {
          campaign.sync(run.tenantId(), body(batch));
        } catch (RuntimeException e) {
          Log.warnf("push of run %d of %s to campaign-service failed after %d scores (retried later): %s",
              run.runId(), run.tenantId(), pushed, e.toString());
          pushes.runFailed(pool, run.tenantId(), run.runId(), e.toString(), config.push().initialBackoff(),
              config.push().maxBackoff()).await().atMost(DB_WAIT);
          return;
        }
        after = batch.get(batch.size() - 1).customerId();
        pushed += batch.size();
      }
      pushes.advanceRun(pool, run.tenantId(), run.runId(), after, batch.size(), last).await().atMost(DB_WAIT);
      if (last) {
        Log.infof("scores of run %d of %s pushed to campaign-service: %d customers", run.runId(), run.tenantId(),
            pushed);
        return;
      }
    }
  }

  private void pushOutbox(String tenant) {
    int size = config.push().batchSize();
    while (true) {
      List<Queued> queued = pushes.dueOutbox(pool, tenant, size).await().atMost(DB_WAIT);
      if (queued.isEmpty()) {
        return;
      }
      Long[] ids = queued.stream().map(Queued::customerId).toArray(Long[]::new);
      List<ScoreProfile> batch = pushes.scoresOf(pool, tenant, ids).await().atMost(DB_WAIT);
      try {
        campaign.sync(tenant, body(batch));
      } catch (RuntimeException e) {
        Log.warnf("push of %d rescored customers of %s to campaign-service failed (retried later): %s", ids.length,
            tenant, e.toString());
        pushes.outboxFailed(pool, tenant, ids, e.toString(), config.push().initialBackoff(), config.push().maxBackoff())
            .await().atMost(DB_WAIT);
        return;
      }
      pushes.delivered(pool, tenant, queued).await().atMost(DB_WAIT);
      if (queued.size() < size) {
        return;
      }
    }
  }

  /** {@code {"profiles": [...]}} in campaign-service's field names. */
  ObjectNode body(List<ScoreProfile> batch) {
    ObjectNode body = json.createObjectNode();
    ArrayNode profiles = body.putArray("profiles");
    for (ScoreProfile s : batch) {
      ObjectNode p = profiles.addObject();
      p.put("customer_id", s.customerId());
      p.put("rfm_segment", s.rfmSegment());
      p.put("rfm11", s.rfm11());
      p.put("lifecycle_stage", s.lifecycleStage());
      p.put("p_alive", s.pAlive());
      p.put("predicted_clv_365d", s.predictedClv365d());
      p.put("frequency", s.frequency());
      p.put("monetary", s.monetary());
      p.put("recency_days", s.recencyDays());
      p.put("last_order_at", s.lastOrderAt() == null ? null : ISO_OFFSET_DATE_TIME.format(s.lastOrderAt()));
      p.put("expected_next_order_at", s.expectedNextOrderDate() == null ? null
          : ISO_OFFSET_DATE_TIME.format(s.expectedNextOrderDate().atStartOfDay(shopZone).toOffsetDateTime()));
    }
    return body;
  }
}
