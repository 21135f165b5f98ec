package com.shopcrm.order.events;

import com.shopcrm.order.client.ServiceTokens;
import com.shopcrm.order.config.OrderEventsConfig;
import com.shopcrm.order.config.OrderEventsConfig.Subscriber;
import com.shopcrm.order.events.Attempt.Kind;
import com.shopcrm.order.events.EventDeliveryRepository.Lease;
import com.shopcrm.order.events.EventDeliveryRepository.Parked;
import com.shopcrm.order.events.EventDeliveryRepository.Replay;
import com.shopcrm.order.events.EventDeliveryRepository.StateChange;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Delivers the order-event outbox to the configured subscribers, at least once, in order per
 * customer. Each run (every {@code crm.order.events.every}, never two at once), per enabled
 * subscriber whose lease this replica holds:
 *
 * <ol>
 *   <li><b>retries</b>: parked events that are due, only the earliest per customer;</li>
 *   <li><b>redeliveries</b>: tenants whose cursor an admin moved back, from their own cursor;</li>
 *   <li><b>scan</b>: new events after the subscriber's scan position, up to the gap-safe
 *   {@link OutboxFrontier}, in seq order. Events of other types, and events without a customer for
 *   a subscriber that needs one, are skipped; events of a customer with a parked event are parked
 *   behind it. The first event is sent alone: if the subscriber cannot be reached (connection
 *   error, timeout, 5xx, no service token) nothing moves and the whole subscriber backs off
 *   exponentially — events wait in the outbox, none is parked, none is lost. An event answered
 *   with 5xx {@code head-attempts} times while the subscriber is up is parked (retried on its own
 *   with back-off, its customer's later events waiting behind it) so the other customers move on.
 *   The rest go out in parallel across customers, one after another within a customer.</li>
 * </ol>
 *
 * 2xx and 409 (already there) count as delivered; other 4xx but 408/429 are poison: recorded and
 * skipped. The outcome of a batch (scan position, cursors, parked and poison events) is written in
 * one transaction after the calls; a crash in between sends the batch again (consumers dedupe by
 * event id).
 */
@ApplicationScoped
public class OrderEventDispatcher {

  private final Pool pool;
  private final EventDeliveryRepository repo;
  private final OutboxFrontier frontier;
  private final SubscriberClient client;
  private final ServiceTokens tokens;
  private final OrderEventsConfig config;
  private final String owner = "order-service-" + UUID.randomUUID();

  OrderEventDispatcher(Pool pool, EventDeliveryRepository repo, OutboxFrontier frontier, SubscriberClient client,
      ServiceTokens tokens, OrderEventsConfig config) {
    this.pool = pool;
    this.repo = repo;
    this.frontier = frontier;
    this.client = client;
    this.tokens = tokens;
    this.config = config;
  }

  @Scheduled(every = "${crm.order.events.every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return dispatch().onFailure().recoverWithItem(failure -> {
      Log.warnf(failure, "order-event dispatch failed, the next run retries");
      return null;
    }).replaceWithVoid();
  }

  /** One run over every enabled subscriber. */
  public Uni<Void> dispatch() {
    Map<String, Subscriber> enabled = new TreeMap<>();
    config.subscribers().forEach((name, s) -> {
      if (s.enabled()) {
        enabled.put(name, s);
      }
    });
    if (enabled.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    // each subscriber its own max-run-time from when its turn comes: with one deadline for the run, a slow
    // subscriber first in line (one event per call) used it up and the ones after it got one scan per run
    return frontier.advance(pool).flatMap(safe -> Multi.createFrom().iterable(enabled.entrySet())
        .onItem().transformToUniAndConcatenate(e -> Uni.createFrom().deferred(() -> subscriber(e.getKey(), e.getValue(),
                safe, System.nanoTime() + config.events().maxRunTime().toNanos()))
            .onFailure().recoverWithItem(failure -> {
              Log.warnf(failure, "order events to %s: run failed, the next run retries", e.getKey());
              return null;
            }))
        .collect().last().replaceWithVoid());
  }

  private Uni<Void> subscriber(String name, Subscriber sub, long safe, long deadline) {
    return repo.lease(pool, name, owner, config.events().lease().toMillis()).flatMap(lease -> {
      if (lease == null || !lease.due()) {
        return Uni.createFrom().voidItem();
      }
      return retries(name, sub, deadline).flatMap(reachable -> !reachable ? Uni.createFrom().voidItem()
          : replays(name, sub).flatMap(ok -> !ok ? Uni.createFrom().voidItem()
              : scan(name, sub, lease, safe, deadline)));
    });
  }

  // ---------------------------------------------------------------- retries of parked events

  /** False when the subscriber could not be reached (the rest of the run is skipped). */
  private Uni<Boolean> retries(String name, Subscriber sub, long deadline) {
    return repo.dueHeads(pool, name, config.events().batchSize()).flatMap(heads -> {
      if (heads.isEmpty()) {
        return Uni.createFrom().item(true);
      }
      return Multi.createFrom().iterable(heads)
          .onItem().transformToUni(p -> send(sub, p.event()).map(a -> Map.entry(p, a)))
          .merge(config.events().concurrency())
          .collect().asList()
          .flatMap(results -> {
            List<OutboxEvent> delivered = new ArrayList<>();
            List<StateChange> changes = new ArrayList<>();
            boolean unreachable = false;
            for (Map.Entry<Parked, Attempt> r : results) {
              Parked p = r.getKey();
              Attempt a = r.getValue();
              switch (a.kind()) {
                case DELIVERED -> delivered.add(p.event());
                case POISON -> changes.add(poison(p.event(), a));
                default -> {
                  unreachable |= a.kind() == Kind.UNREACHABLE;
                  changes.add(retry(p.event(), p.attempts() + 1, a));
                }
              }
            }
            boolean reachable = !unreachable;
            boolean progress = !delivered.isEmpty() || changes.stream().anyMatch(c -> c.status().equals("poison"));
            return pool.withTransaction(tx -> repo.delivered(tx, name, delivered)
                    .flatMap(i -> repo.saveStates(tx, name, changes)))
                .flatMap(i -> reachable && progress && System.nanoTime() < deadline
                    ? retries(name, sub, deadline) : Uni.createFrom().item(reachable));
          });
    });
  }

  // ---------------------------------------------------------------- redeliveries

  private Uni<Boolean> replays(String name, Subscriber sub) {
    return repo.replays(pool, name, 10).flatMap(replays -> Multi.createFrom().iterable(replays)
        .onItem().transformToUniAndConcatenate(r -> replay(name, sub, r))
        .collect().asList()
        .map(results -> !results.contains(false)));
  }

  private Uni<Boolean> replay(String name, Subscriber sub, Replay r) {
    return repo.tenantRange(pool, r.tenantId(), r.deliveredSeq(), r.replayUntil(), config.events().batchSize())
        .flatMap(events -> {
          long last = events.isEmpty() ? r.replayUntil() : events.get(events.size() - 1).seq();
          return process(name, sub, events, Set.of(), 0).flatMap(batch -> {
            if (batch.stopped()) {
              return pool.withTransaction(tx -> repo.backOff(tx, name, 1, config.events().retryInitial().toMillis(),
                  batch.error())).replaceWith(false);
            }
            return pool.withTransaction(tx -> repo.saveStates(tx, name, batch.changes())
                .flatMap(i -> repo.advanceReplay(tx, name, r.tenantId(), last))).replaceWith(true);
          });
        });
  }

  // ---------------------------------------------------------------- scan of new events

  private Uni<Void> scan(String name, Subscriber sub, Lease lease, long safe, long deadline) {
    if (lease.scanSeq() >= safe) {
      return Uni.createFrom().voidItem();
    }
    int size = config.events().batchSize();
    return repo.scan(pool, lease.scanSeq(), safe, size).flatMap(events -> {
      long last = events.size() < size ? safe : events.get(events.size() - 1).seq();
      return repo.replayingTenants(pool, name, events).flatMap(replaying -> {
        Map<String, Long> lastByTenant = new HashMap<>();
        List<OutboxEvent> live = new ArrayList<>();
        for (OutboxEvent e : events) {
          lastByTenant.merge(e.tenantId(), e.seq(), Math::max);
          if (!replaying.contains(e.tenantId())) {
            live.add(e); // a redelivered tenant's new events are sent by its redelivery, after the older ones
          }
        }
        return process(name, sub, live, Set.of(), lease.failures()).flatMap(batch -> {
          if (batch.stopped()) {
            int failures = lease.failures() + 1;
            long delay = backoff(failures);
            Log.warnf("order events to %s: %s; next try in %d ms (%d event(s) waiting)", name, batch.error(), delay,
                live.size());
            return pool.withTransaction(tx -> repo.backOff(tx, name, failures, delay, batch.generalError()));
          }
          Lease next = new Lease(last, 0, true);
          return pool.withTransaction(tx -> repo.scanned(tx, name, last)
                  .flatMap(i -> repo.advanceCursors(tx, name, lastByTenant))
                  .flatMap(i -> repo.saveStates(tx, name, batch.changes())))
              .flatMap(i -> events.size() == size && System.nanoTime() < deadline
                  ? scan(name, sub, next, safe, deadline) : Uni.createFrom().voidItem());
        });
      });
    });
  }

  /** What a batch came to: {@code stopped} when nothing may be recorded (the subscriber is unreachable). */
  record Batch(boolean stopped, String error, String generalError, List<StateChange> changes) {
  }

  /**
   * Sends a batch of events (seq order) to the subscriber; see the class comment. {@code failures}:
   * how often the first event was tried in vain before (the subscriber's failure count).
   */
  private Uni<Batch> process(String name, Subscriber sub, List<OutboxEvent> events, Set<String> extraBlocked,
      int failures) {
    List<OutboxEvent> wanted = events.stream().filter(e -> accepts(sub, e)).toList();
    if (wanted.isEmpty()) {
      return Uni.createFrom().item(new Batch(false, null, null, List.of()));
    }
    return repo.blockedKeys(pool, name, wanted).flatMap(blockedNow -> {
      Set<String> blocked = new HashSet<>(blockedNow);
      blocked.addAll(extraBlocked);
      List<StateChange> changes = new ArrayList<>();
      Attempt[] stop = new Attempt[1];
      // the first event not waiting behind a parked one is the probe
      OutboxEvent probe = wanted.stream().filter(e -> !blocked.contains(e.orderingKey())).findFirst().orElse(null);
      Uni<Boolean> probed = probe == null ? Uni.createFrom().item(true) : send(sub, probe).map(a -> {
        if (!a.failed()) {
          if (a.kind() == Kind.POISON) {
            changes.add(poison(probe, a));
          }
          return true;
        }
        int attempts = failures + 1;
        if (a.kind() == Kind.RETRY && attempts >= config.events().headAttempts()) {
          Log.warnf("order events to %s: event %s (seq %d) failed %d times (%s); parked, its customer's later "
              + "events wait behind it", name, probe.eventId(), probe.seq(), attempts, a.error());
          changes.add(retry(probe, attempts, a));
          blocked.add(probe.orderingKey());
          return true;
        }
        stop[0] = a;
        return false;
      });
      return probed.flatMap(go -> {
        if (!go) {
          return Uni.createFrom().item(new Batch(true, stop[0].error(), stop[0].generalError(), List.of()));
        }
        List<OutboxEvent> rest = wanted.stream().filter(e -> e != probe).toList();
        Uni<List<StateChange>> sent = sub.batchSize() > 1 ? sendInBatches(sub, rest, blocked)
            : sendPerCustomer(sub, rest, blocked);
        return sent.map(more -> {
          changes.addAll(more);
          return new Batch(false, null, null, changes);
        });
      });
    });
  }

  /**
   * Events (seq order) per customer: customers in parallel, each one's events one after another;
   * those of a blocked customer wait. Adds to {@code blocked} every customer whose event failed.
   */
  private Uni<List<StateChange>> sendPerCustomer(Subscriber sub, List<OutboxEvent> events, Set<String> blocked) {
    List<StateChange> changes = new ArrayList<>();
    Map<String, List<OutboxEvent>> groups = new LinkedHashMap<>();
    for (OutboxEvent e : events) {
      if (blocked.contains(e.orderingKey())) {
        changes.add(waiting(e));
      } else {
        groups.computeIfAbsent(e.orderingKey(), k -> new ArrayList<>()).add(e);
      }
    }
    return Multi.createFrom().iterable(groups.values())
        .onItem().transformToUni(group -> sendInOrder(sub, group, 0, new ArrayList<>()))
        .merge(config.events().concurrency())
        .collect().asList()
        .map(groupChanges -> {
          groupChanges.forEach(group -> {
            changes.addAll(group);
            group.stream().filter(c -> c.status().equals("pending") && c.attempts() > 0)
                .forEach(c -> blocked.add(c.event().orderingKey()));
          });
          return changes;
        });
  }

  /**
   * For a subscriber that takes batches: the events of each tenant (seq order) in calls of up to
   * {@code batch-size}, one call after another, so every customer's events arrive in order. A call
   * that is not accepted whole (an invalid event, a 5xx, no answer) is sent again event by event
   * ({@link #sendPerCustomer}), which tells the poison and the failed ones apart and parks them as
   * usual; a later call leaves out the customers that failed in it.
   */
  private Uni<List<StateChange>> sendInBatches(Subscriber sub, List<OutboxEvent> events, Set<String> blocked) {
    Map<String, List<OutboxEvent>> byTenant = new LinkedHashMap<>();
    events.forEach(e -> byTenant.computeIfAbsent(e.tenantId(), t -> new ArrayList<>()).add(e));
    List<List<OutboxEvent>> calls = new ArrayList<>();
    byTenant.values().forEach(list -> {
      for (int i = 0; i < list.size(); i += sub.batchSize()) {
        calls.add(list.subList(i, Math.min(list.size(), i + sub.batchSize())));
      }
    });
    return Multi.createFrom().iterable(calls)
        .onItem().transformToUniAndConcatenate(call -> {
          List<StateChange> changes = new ArrayList<>();
          List<OutboxEvent> ready = new ArrayList<>();
          for (OutboxEvent e : call) {
            if (blocked.contains(e.orderingKey())) {
              changes.add(waiting(e));
            } else {
              ready.add(e);
            }
          }
          if (ready.isEmpty()) {
            return Uni.createFrom().item(changes);
          }
          Optional<String> authorization = tokens.authorizationFor(ready.get(0).tenantId());
          Uni<Attempt> whole = authorization.isEmpty() ? Uni.createFrom().item(Attempt.unreachable("no service token"))
              : client.deliverAll(sub, ready, authorization.get());
          return whole.flatMap(a -> a.kind() == Kind.DELIVERED ? Uni.createFrom().item(changes)
              : sendPerCustomer(sub, ready, blocked).map(one -> {
                changes.addAll(one);
                return changes;
              }));
        })
        .collect().asList()
        .map(lists -> lists.stream().flatMap(List::stream).toList());
  }

  /** A customer's events one after another; after a failure the rest wait parked behind it. */
  private Uni<List<StateChange>> sendInOrder(Subscriber sub, List<OutboxEvent> group, int index,
      List<StateChange> out) {
    if (index == group.size()) {
      return Uni.createFrom().item(out);
    }
    OutboxEvent e = group.get(index);
    return send(sub, e).flatMap(a -> {
      if (a.failed()) {
        out.add(retry(e, 1, a));
        for (int i = index + 1; i < group.size(); i++) {
          out.add(waiting(group.get(i)));
        }
        return Uni.createFrom().item(out);
      }
      if (a.kind() == Kind.POISON) {
        out.add(poison(e, a));
      }
      return sendInOrder(sub, group, index + 1, out);
    });
  }

  private Uni<Attempt> send(Subscriber sub, OutboxEvent e) {
    Optional<String> authorization = tokens.authorizationFor(e.tenantId());
    if (authorization.isEmpty()) {
      return Uni.createFrom().item(Attempt.unreachable("no service token for tenant " + e.tenantId()
          + " (no internal private key configured): cannot deliver yet"));
    }
    return client.deliver(sub, e, authorization.get()).invoke(a -> {
      if (a.kind() == Kind.POISON) {
        Log.warnf("order event %s (seq %d, %s) refused for good: %s", e.eventId(), e.seq(), e.type(), a.error());
      }
    });
  }

  static boolean accepts(Subscriber sub, OutboxEvent e) {
    if (sub.requiresCustomer() && e.customerId() == null) {
      return false;
    }
    Optional<java.util.Set<String>> types = sub.types();
    return types.isEmpty() || types.get().isEmpty() || types.get().contains(e.type());
  }

  long backoff(int attempts) {
    long initial = config.events().retryInitial().toMillis();
    long max = config.events().retryMax().toMillis();
    int shift = Math.min(Math.max(attempts - 1, 0), 30);
    return Math.min(max, initial << shift);
  }

  private StateChange retry(OutboxEvent e, int attempts, Attempt a) {
    return new StateChange(e, "pending", attempts, backoff(attempts), a.status(), a.error());
  }

  private static StateChange waiting(OutboxEvent e) {
    return new StateChange(e, "pending", 0, 0, null, null);
  }

  private static StateChange poison(OutboxEvent e, Attempt a) {
    return new StateChange(e, "poison", 1, 0, a.status(), a.error());
  }
}
