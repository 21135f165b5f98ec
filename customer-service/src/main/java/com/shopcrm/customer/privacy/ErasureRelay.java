package com.shopcrm.customer.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.customer.privacy.PeerServices.Answer;
import com.shopcrm.customer.privacy.PersonalDataRepository.Due;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives pending erasure steps ({@code customer_erasure_step}) to completion: calls each service's
 * internal erase ({@code POST /api/v1/privacy/customers/erase}, idempotent there) until it answers 2xx,
 * then records its answer. The same outbox-and-relay shape as the audience feed
 * ({@code AudienceFeedRelay}): the steps are rows written in the request's transaction, taken
 * {@code FOR UPDATE SKIP LOCKED} (replicas never call for the same step at once), and a failed call
 * (no answer, or any non-2xx) leaves the step pending with a back-off of {@code retry-initial}
 * doubling up to {@code retry-max}. A service that does not answer or answers 5xx is not called again
 * in the same run: an outage costs one call per back-off step, not one per erasure. order-service is
 * called before scoring- and campaign-service ({@link PersonalDataRepository#due}).
 */
@ApplicationScoped
public class ErasureRelay {

  private final Pool pool;
  private final PersonalDataRepository privacy;
  private final PeerServices peers;
  private final PrivacyConfig config;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final AtomicInteger running = new AtomicInteger();

  ErasureRelay(Pool pool, PersonalDataRepository privacy, PeerServices peers, PrivacyConfig config,
      ObjectMapper mapper, Clock clock) {
    this.pool = pool;
    this.privacy = privacy;
    this.peers = peers;
    this.config = config;
    this.mapper = mapper;
    this.clock = clock;
  }

  @Scheduled(identity = "erasure-relay", every = "${crm.privacy.relay-every:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return run()
        .onFailure().invoke(e -> Log.error("erasure relay run failed", e))
        .onFailure().recoverWithNull()
        .replaceWithVoid();
  }

  /**
   * Starts a run in the background (after a new erasure, so a healthy platform completes it at once);
   * not while the scheduled relay is off (tests drive {@link #run()} themselves).
   */
  void soon() {
    String every = config.relayEvery().strip().toLowerCase(java.util.Locale.ROOT);
    if (running.get() == 0 && !every.equals("off") && !every.equals("disabled")) {
      run().subscribe().with(done -> { }, e -> Log.warn("erasure relay run failed", e));
    }
  }

  /** One run: batches of due steps until none is left; answers how many steps were completed. */
  public Uni<Integer> run() {
    running.incrementAndGet();
    AtomicInteger completed = new AtomicInteger();
    Set<String> down = new HashSet<>();
    return batch(down, completed)
        .map(ignored -> completed.get())
        .eventually(running::decrementAndGet);
  }

  /**
   * One transaction over due steps; another follows while the batch was full or completed a step (an
   * acknowledged order-service step makes the same erasure's other steps due).
   */
  private Uni<Void> batch(Set<String> down, AtomicInteger completed) {
    OffsetDateTime now = now();
    int before = completed.get();
    return pool.withTransaction(tx -> privacy.due(tx, now, config.batchSize())
            .flatMap(steps -> {
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (Due step : steps) {
                chain = chain.flatMap(ignored -> step(tx, step, down, completed));
              }
              return chain.map(ignored -> steps.size());
            }))
        .flatMap(taken -> taken >= config.batchSize() || completed.get() > before
            ? batch(down, completed) : Uni.createFrom().voidItem());
  }

  private Uni<Void> step(SqlClient tx, Due step, Set<String> down, AtomicInteger completed) {
    if (down.contains(step.service())) {
      return privacy.failed(tx, step, step.service() + " did not answer earlier in this run; not called",
          retryAt(step.attempts()));
    }
    String body = PersonalDataService.request(step.customerIds(), step.identitiesJson());
    return peers.erase(step.service(), step.tenantId(), body).flatMap((Answer answer) -> {
      if (answer.ok()) {
        completed.incrementAndGet();
        Log.infof("erasure of customer %d (tenant %s): %s acknowledged", step.customerId(), step.tenantId(),
            step.service());
        return privacy.completed(tx, step, json(answer.body()), now());
      }
      if (answer.status() == 0 || answer.status() >= 500) {
        down.add(step.service());
      }
      Log.warnf("erasure of customer %d (tenant %s): %s failed (attempt %d), retried later: %s", step.customerId(),
          step.tenantId(), step.service(), step.attempts() + 1, answer.failure());
      return privacy.failed(tx, step, answer.failure(), retryAt(step.attempts()));
    });
  }

  /** The next attempt after the given number of earlier attempts failed. */
  private OffsetDateTime retryAt(int attempts) {
    long initial = config.retryInitial().toMillis();
    long delay = Math.min(config.retryMax().toMillis(), initial << Math.min(attempts, 20));
    return now().plus(Duration.ofMillis(delay));
  }

  /** The service's answer as JSON (kept as a string when it is not). */
  private String json(String body) {
    try {
      return mapper.writeValueAsString(body == null || body.isBlank() ? null : mapper.readTree(body));
    } catch (Exception e) {
      try {
        return mapper.writeValueAsString(body);
      } catch (Exception impossible) {
        return "null";
      }
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
