package com.shopcrm.scoring.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.scoring.client.OrderEventFeed;
import com.shopcrm.scoring.config.ScoringConfig;
import com.shopcrm.scoring.repository.ResyncRepository;
import com.shopcrm.scoring.repository.ResyncRepository.ResyncView;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Backfill / resync: pages through order-service's event replay ({@code GET /api/v1/orders/events})
 * for the tenant and applies every page through the same idempotent path as pushed events (one
 * transaction per page), so a resync after the dispatcher already delivered changes nothing twice.
 */
@ApplicationScoped
public class ResyncService {

  private static final Duration WAIT = Duration.ofMinutes(2);

  private final Pool pool;
  private final ResyncRepository jobs;
  private final OrderEventFeed feed;
  private final OrderEventService events;
  private final Clock clock;
  private final ScoringConfig config;

  ResyncService(Pool pool, ResyncRepository jobs, OrderEventFeed feed, OrderEventService events, Clock clock,
      ScoringConfig config) {
    this.pool = pool;
    this.jobs = jobs;
    this.feed = feed;
    this.events = events;
    this.clock = clock;
    this.config = config;
  }

  /** Starts a resync from {@code afterSeq} on a worker thread; 503 problem when no service token can be had. */
  public Uni<ResyncView> start(TenantContext tenant, long afterSeq) {
    if (!feed.available()) {
      throw new ProblemException(Problem.of(503, "Service token unavailable",
          "resync needs the internal private key (CRM_JWT_PRIVATE_KEY_LOCATION) to call order-service"));
    }
    String tenantId = tenant.tenantId();
    return jobs.insert(pool, tenantId, afterSeq, now())
        .invoke(id -> Infrastructure.getDefaultWorkerPool().execute(() -> run(tenantId, id, afterSeq)))
        .flatMap(id -> jobs.find(pool, tenantId, id));
  }

  public Uni<ResyncView> get(TenantContext tenant, long id) {
    return jobs.find(pool, tenant.tenantId(), id);
  }

  private void run(String tenantId, long jobId, long from) {
    long after = from;
    try {
      while (true) {
        JsonNode page = feed.page(tenantId, after, config.resync().pageSize()).await().atMost(WAIT);
        JsonNode items = page == null ? null : page.path("items");
        if (items == null || !items.isArray() || items.isEmpty()) {
          break;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("events", items);
        OrderEventService.EventResult result = events.applyJson(tenantId, body).await().atMost(WAIT);
        JsonNode next = page.path("next_after_seq");
        long last = items.get(items.size() - 1).path("seq").asLong(after);
        after = next.canConvertToLong() ? next.asLong() : Math.max(after, last);
        jobs.progress(pool, tenantId, jobId, after, result.received(), result.applied()).await().atMost(WAIT);
        if (!next.canConvertToLong()) {
          break;
        }
      }
      jobs.finish(pool, tenantId, jobId, "completed", null, now()).await().atMost(WAIT);
    } catch (RuntimeException e) {
      Log.warnf(e, "resync %d of %s failed after seq %d", jobId, tenantId, after);
      String message = e instanceof ProblemException p ? p.problem().detail() : String.valueOf(e.getMessage());
      jobs.finish(pool, tenantId, jobId, "failed", message, now()).await().atMost(WAIT);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
