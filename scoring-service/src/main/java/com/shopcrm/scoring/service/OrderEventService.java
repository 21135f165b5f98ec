package com.shopcrm.scoring.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.scoring.config.ScoringConfig;
import com.shopcrm.scoring.model.ClvCalculator;
import com.shopcrm.scoring.model.Purchase;
import com.shopcrm.scoring.repository.PurchaseFactRepository;
import com.shopcrm.scoring.repository.RunRepository;
import com.shopcrm.scoring.repository.ScorePushRepository;
import com.shopcrm.scoring.repository.ScoreRepository;
import com.shopcrm.scoring.service.OrderEventParser.ParsedEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Consumes order events into the purchase facts, idempotently by event id, and rescores the
 * customers they touch within the same transaction with the tenant's current model: a new order
 * shows in the customer's score as soon as its event is accepted. A batch is all or nothing.
 */
@ApplicationScoped
public class OrderEventService {

  /** What a call did. {@code stale}: events older than the stored state of their order (kept out). */
  public record EventResult(int received, int applied, int duplicates, int stale, int customersRescored) {
  }

  private final Pool pool;
  private final PurchaseFactRepository facts;
  private final ScoreRepository scores;
  private final RunRepository runs;
  private final Clock clock;
  private final ZoneId shopZone;
  private final OrderEventParser parser;
  private final ScoringConfig config;
  private final CustomerScorer scorer = new CustomerScorer();
  private final ScorePushRepository pushes;
  private final ScorePusher pusher;

  OrderEventService(Pool pool, PurchaseFactRepository facts, ScoreRepository scores, RunRepository runs, Clock clock,
      ScoringConfig config, ScorePushRepository pushes, ScorePusher pusher) {
    this.pushes = pushes;
    this.pusher = pusher;
    this.pool = pool;
    this.facts = facts;
    this.scores = scores;
    this.runs = runs;
    this.clock = clock;
    this.config = config;
    this.shopZone = ZoneId.of(config.shopZone());
    this.parser = new OrderEventParser(shopZone);
  }

  /** Applies one event or a batch ({@code {"events": [...]}}); 400 problem listing every bad event. */
  public Uni<EventResult> apply(TenantContext tenant, JsonNode body) {
    List<ParsedEvent> events = parser.parse(body, now());
    return pool.withTransaction(tx -> apply(tx, tenant.tenantId(), events));
  }

  /** Applies already parsed events of order-service's replay (the resync), one transaction per page. */
  Uni<EventResult> applyJson(String tenantId, JsonNode body) {
    List<ParsedEvent> events = parser.parse(body, now());
    return pool.withTransaction(tx -> apply(tx, tenantId, events));
  }

  private Uni<EventResult> apply(SqlClient tx, String tenantId, List<ParsedEvent> events) {
    OffsetDateTime now = now();
    Set<Long> touched = new LinkedHashSet<>();
    int[] counts = new int[3]; // applied, duplicates, stale
    return Multi.createFrom().iterable(events)
        .onItem().transformToUniAndConcatenate(e -> facts.claimEvent(tx, tenantId, e.eventId(), e.fact().orderNo(), now)
            .flatMap(fresh -> {
              if (!fresh) {
                counts[1]++;
                return facts.backfillItems(tx, tenantId, e.fact().orderNo(), e.items(), e.fact().versionAt());
              }
              return facts.upsert(tx, tenantId, e.fact(), now).flatMap(applied -> {
                if (!applied.applied()) {
                  counts[2]++;
                  return Uni.createFrom().voidItem();
                }
                counts[0]++;
                if (e.fact().customerId() != null) {
                  touched.add(e.fact().customerId());
                }
                if (applied.previousCustomerId() != null) {
                  touched.add(applied.previousCustomerId());
                }
                return facts.replaceItems(tx, tenantId, e.fact().orderNo(), e.items(), e.fact().versionAt());
              });
            }))
        .collect().last()
        .flatMap(ignored -> rescore(tx, tenantId, touched))
        .map(rescored -> new EventResult(events.size(), counts[0], counts[1], counts[2], rescored));
  }

  /**
   * Recomputes the customers' raw R/F/M values, lifecycle and predictions as of today with the
   * tenant's current model (quintile scores and segments against the current run's breakpoints);
   * customers left without a counted purchase lose their score.
   */
  Uni<Integer> rescore(SqlClient client, String tenantId, Set<Long> customerIds) {
    if (customerIds.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    Long[] ids = customerIds.toArray(Long[]::new);
    LocalDate today = LocalDate.now(clock.withZone(shopZone));
    return runs.current(client, tenantId, config.clv().steps(), defaultClv())
        .flatMap(model -> facts.daysOf(client, tenantId, ids).flatMap(daysById -> {
          List<ScoreRow> rows = new ArrayList<>();
          List<Long> gone = new ArrayList<>();
          for (Long id : ids) {
            List<Purchase> days = daysById.getOrDefault(id, List.of());
            Optional<ScoreRow> row = scorer.score(id, days, today, model);
            if (row.isPresent()) {
              rows.add(row.get());
            } else {
              gone.add(id);
            }
          }
          return scores.upsert(client, tenantId, rows, now())
              .flatMap(v -> scores.delete(client, tenantId, gone.toArray(Long[]::new)))
              // queued for campaign-service in the same transaction (ScorePusher sends it within seconds)
              .flatMap(v -> pusher.enabled() ? pushes.enqueue(client, tenantId, ids) : Uni.createFrom().voidItem())
              .map(v -> ids.length);
        }));
  }

  ClvCalculator.Settings defaultClv() {
    return new ClvCalculator.Settings(config.clv().horizonDays(), config.clv().annualDiscountRate(),
        config.clv().steps());
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
