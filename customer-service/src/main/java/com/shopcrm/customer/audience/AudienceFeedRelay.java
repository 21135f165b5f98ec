package com.shopcrm.customer.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.common.auth.InternalTokenIssuer;
import com.shopcrm.common.auth.PemKeys;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.customer.audience.AudienceOutboxRepository.Pending;
import com.shopcrm.customer.audience.AudienceOutboxRepository.Profile;
import com.shopcrm.customer.audience.CampaignSyncClient.Answer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drains {@code audience_outbox} into campaign-service's audience read model
 * ({@code POST /api/v1/segments/profiles/sync} and {@code /events/sync}, docs/SEGMENTS.md).
 *
 * <p>Per tenant (the sync endpoints take the tenant from the token, so a batch never mixes
 * tenants) and per batch, in ONE transaction: take the tenant's relay lock (an advisory lock, so
 * two replicas never work one tenant at once and an older snapshot can never overtake a newer
 * one), take the oldest pending rows ({@code FOR UPDATE SKIP LOCKED}), build the CURRENT snapshot of
 * the customers they name in one query, POST the profiles then the events (bodies split under
 * {@code max-body-bytes}), and delete the rows only after 2xx answers. So delivery is at least once
 * and survives restarts: a crash before the commit leaves the rows pending, and the sync endpoints
 * are idempotent.
 *
 * <p>Failures: no answer, 5xx, 401/403/404 (a deployment problem, not the data's) or 429 leave the
 * rows pending and put the tenant in back-off ({@code retry-initial} doubling up to
 * {@code retry-max}); no answer, 5xx and 404 (campaign-service down or not there) back off every
 * tenant at once, so an outage costs one call per back-off step, not one per tenant. Each pass
 * starts at the next tenant, so one tenant whose calls keep failing cannot starve the others.
 * 400/413/422 are poison: the items campaign-service names in its {@code errors}
 * ({@code profiles[i]...}) are parked with its answer and logged, the rest are sent again at once;
 * when it names none, the whole body is parked. Parked rows are never retried
 * ({@code POST /api/v1/customers/audience-feed/resync} supersedes them).
 *
 * <p>Off when {@code crm.campaign.url} or the private key is not configured: the rows then wait in
 * the outbox, and are sent once the feed is configured.
 */
@Startup // reads the key and says whether the feed is on when the service starts, not at the first run
@ApplicationScoped
public class AudienceFeedRelay {

  static final String PROFILES_PATH = "/api/v1/segments/profiles/sync";
  static final String EVENTS_PATH = "/api/v1/segments/events/sync";
  /** campaign-service's limit of items per sync call. */
  static final int MAX_ITEMS = 5000;
  static final String SUBJECT = "service:customer-service";
  static final Duration TOKEN_LIFETIME = Duration.ofSeconds(60);

  private static final Pattern ITEM = Pattern.compile("^(profiles|events)\\[(\\d+)]");

  /** What one run did: outbox rows delivered and parked, and tenants whose delivery failed. */
  public record RunResult(int delivered, int parked, int failures) {
  }

  /** Items for one sync path: their JSON, and for each the outbox rows behind it. */
  private record Items(String path, String key, List<String> json, List<List<Long>> rows) {
  }

  /**
   * The outcome of sending {@link Items}: failed (retry later; {@code everyone} when campaign-service
   * itself is unwell, not just this tenant's calls), or sent with some rows poisoned.
   */
  private record Sent(String failure, boolean everyone, List<Long> poisoned, String poisonAnswer) {
    static final Sent OK = new Sent(null, false, List.of(), null);

    boolean failed() {
      return failure != null;
    }

    Sent plus(Sent other) {
      if (failed()) {
        return this;
      }
      if (other.failed()) {
        return other;
      }
      List<Long> all = new ArrayList<>(poisoned);
      all.addAll(other.poisoned);
      return new Sent(null, false, all, poisonAnswer != null ? poisonAnswer : other.poisonAnswer);
    }
  }

  /** One batch of one tenant. */
  private record Batch(int taken, int delivered, int parked, String failure, boolean everyone) {
    static final Batch NONE = new Batch(0, 0, 0, null, false);
  }

  private record Backoff(int failures, long notBeforeNanos) {
  }

  private final Pool pool;
  private final AudienceOutboxRepository outbox;
  private final CampaignSyncClient client;
  private final AudienceFeedConfig config;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final String baseUrl;
  private final InternalTokenIssuer issuer;
  private final Map<String, Backoff> backoff = new ConcurrentHashMap<>();
  /** Back-off of every tenant while campaign-service is unreachable, failing (5xx) or not found. */
  private volatile Backoff down;
  private final AtomicInteger turn = new AtomicInteger();

  AudienceFeedRelay(Pool pool, AudienceOutboxRepository outbox, CampaignSyncClient client, AudienceFeedConfig config,
      CampaignServiceConfig campaign, ObjectMapper mapper, Clock clock) {
    this.pool = pool;
    this.outbox = outbox;
    this.client = client;
    this.config = config;
    this.mapper = mapper;
    this.clock = clock;
    this.baseUrl = campaign.url().map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
        .orElse(null);
    this.issuer = config.privateKeyLocation()
        .map(location -> new InternalTokenIssuer(PemKeys.readPrivateKey(location), "customer-service", TOKEN_LIFETIME))
        .orElse(null);
    if (baseUrl == null || issuer == null) {
      Log.infof("audience feed to campaign-service is off (%s not configured): changes wait in audience_outbox",
          baseUrl == null ? "CRM_CAMPAIGN_URL" : "CRM_JWT_PRIVATE_KEY_LOCATION");
    } else {
      Log.infof("audience feed to campaign-service at %s", baseUrl);
    }
  }

  public boolean enabled() {
    return baseUrl != null && issuer != null;
  }

  @Scheduled(identity = "audience-feed", every = "${crm.audience-feed.every:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return run()
        .onFailure().invoke(e -> Log.error("audience feed run failed", e))
        .onFailure().recoverWithNull()
        .replaceWithVoid();
  }

  /** One run: passes over the tenants with pending rows, a batch each, while work remains and time is left. */
  public Uni<RunResult> run() {
    if (!enabled()) {
      return Uni.createFrom().item(new RunResult(0, 0, 0));
    }
    long deadline = System.nanoTime() + config.maxRunTime().toNanos();
    AtomicInteger delivered = new AtomicInteger();
    AtomicInteger parked = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    return pass(deadline, delivered, parked, failures)
        .map(ignored -> new RunResult(delivered.get(), parked.get(), failures.get()));
  }

  private Uni<Void> pass(long deadline, AtomicInteger delivered, AtomicInteger parked, AtomicInteger failures) {
    return outbox.pendingTenants(pool)
        .flatMap(tenants -> Multi.createFrom().iterable(rotated(tenants))
            .filter(tenant -> due(down) && due(backoff.get(tenant))) // one tenant at a time: re-checked per tenant
            .onItem().transformToUniAndConcatenate(tenant -> batch(tenant).invoke(b -> {
              delivered.addAndGet(b.delivered());
              parked.addAndGet(b.parked());
              if (b.failure() != null) {
                failures.incrementAndGet();
                failed(b.everyone() ? null : tenant, b.failure());
              } else if (b.taken() > 0) {
                backoff.remove(tenant);
                down = null;
              }
            }))
            .collect().asList())
        .flatMap(batches -> batches.stream().anyMatch(b -> b.failure() == null && b.taken() >= config.batchSize())
            && System.nanoTime() < deadline
            ? pass(deadline, delivered, parked, failures)
            : Uni.createFrom().voidItem());
  }

  private Uni<Batch> batch(String tenant) {
    return pool.withTransaction(tx -> outbox.tryLockTenant(tx, tenant).flatMap(locked -> !locked
        ? Uni.createFrom().item(Batch.NONE)
        : outbox.take(tx, tenant, config.batchSize()).flatMap(rows -> {
          if (rows.isEmpty()) {
            return Uni.createFrom().item(Batch.NONE);
          }
          TreeMap<Long, List<Long>> profileRows = new TreeMap<>();
          List<Pending> events = new ArrayList<>();
          Set<Long> eventCustomers = new TreeSet<>();
          for (Pending row : rows) {
            if (row.isEvent()) {
              events.add(row);
              eventCustomers.add(row.customerId());
            } else {
              profileRows.computeIfAbsent(row.customerId(), id -> new ArrayList<>()).add(row.id());
            }
          }
          Uni<List<Profile>> snapshot = profileRows.isEmpty() ? Uni.createFrom().item(List.of())
              : outbox.profiles(tx, tenant, profileRows.keySet().toArray(Long[]::new));
          return snapshot.flatMap(profiles -> outbox.live(tx, tenant, eventCustomers.toArray(Long[]::new))
              .flatMap(live -> {
                Items profileItems = new Items(PROFILES_PATH, "profiles",
                    profiles.stream().map(Profile::json).toList(),
                    profiles.stream().map(p -> profileRows.get(p.customerId())).toList());
                List<String> eventJson = new ArrayList<>();
                List<List<Long>> eventRows = new ArrayList<>();
                for (Pending e : events) {
                  if (live.contains(e.customerId())) { // events of deleted or merged-away customers are dropped
                    eventJson.add(eventJson(e));
                    eventRows.add(List.of(e.id()));
                  }
                }
                return send(tenant, profileItems)
                    .flatMap(sent -> sent.failed() ? Uni.createFrom().item(sent)
                        : send(tenant, new Items(EVENTS_PATH, "events", eventJson, eventRows)).map(sent::plus))
                    .flatMap(sent -> settle(tx, tenant, rows, sent));
              }));
        })));
  }

  /** After every body was answered: delete the delivered rows, park the poisoned ones. */
  private Uni<Batch> settle(SqlClient tx, String tenant, List<Pending> rows, Sent sent) {
    if (sent.failed()) {
      return Uni.createFrom().item(new Batch(rows.size(), 0, 0, sent.failure(), sent.everyone()));
    }
    Set<Long> poisoned = new TreeSet<>(sent.poisoned());
    Long[] done = rows.stream().map(Pending::id).filter(id -> !poisoned.contains(id)).toArray(Long[]::new);
    if (!poisoned.isEmpty()) {
      Log.errorf("audience feed: campaign-service refused %d outbox rows of tenant %s; parked (resync supersedes "
          + "them): %s", poisoned.size(), tenant, sent.poisonAnswer());
    }
    return outbox.delete(tx, tenant, done)
        .flatMap(deleted -> outbox.park(tx, tenant, poisoned.toArray(Long[]::new), sent.poisonAnswer(), now())
            .map(parked -> new Batch(rows.size(), deleted, parked, null, false)));
  }

  /** Sends the items in bodies of at most {@link #MAX_ITEMS} items and {@code max-body-bytes}, one after another. */
  private Uni<Sent> send(String tenant, Items items) {
    List<int[]> chunks = new ArrayList<>();
    int start = 0;
    long bytes = 0;
    for (int i = 0; i < items.json().size(); i++) {
      int size = items.json().get(i).getBytes(StandardCharsets.UTF_8).length + 1;
      if (i > start && (i - start >= MAX_ITEMS || bytes + size > config.maxBodyBytes())) {
        chunks.add(new int[] {start, i});
        start = i;
        bytes = 0;
      }
      bytes += size;
    }
    if (start < items.json().size()) {
      chunks.add(new int[] {start, items.json().size()});
    }
    Uni<Sent> chain = Uni.createFrom().item(Sent.OK);
    for (int[] chunk : chunks) {
      List<Integer> indexes = new ArrayList<>();
      for (int i = chunk[0]; i < chunk[1]; i++) {
        indexes.add(i);
      }
      chain = chain.flatMap(sent -> sent.failed() ? Uni.createFrom().item(sent)
          : post(tenant, items, indexes, true).map(sent::plus));
    }
    return chain;
  }

  /** One body; on a 400 naming some items, those are poisoned and the others sent again once. */
  private Uni<Sent> post(String tenant, Items items, List<Integer> indexes, boolean mayRetry) {
    StringBuilder body = new StringBuilder("{\"").append(items.key()).append("\":[");
    for (int i = 0; i < indexes.size(); i++) {
      body.append(i == 0 ? "" : ",").append(items.json().get(indexes.get(i)));
    }
    body.append("]}");
    String authorization = "Bearer " + issuer.reusable(SUBJECT, tenant, Set.of(Roles.INTEGRATION));
    return client.post(baseUrl + items.path(), authorization, body.toString()).flatMap(answer -> {
      if (answer.ok()) {
        return Uni.createFrom().item(Sent.OK);
      }
      if (!answer.poison()) {
        boolean everyone = answer.status() == 0 || answer.status() >= 500 || answer.status() == 404;
        return Uni.createFrom().item(new Sent(items.path() + " answered " + describe(answer), everyone, List.of(),
            null));
      }
      String refused = items.path() + " answered " + describe(answer);
      Set<Integer> named = mayRetry ? namedItems(answer, items.key(), indexes.size()) : Set.of();
      if (named.isEmpty() || named.size() == indexes.size()) {
        return Uni.createFrom().item(new Sent(null, false, rowsOf(items, indexes), refused));
      }
      List<Integer> bad = new ArrayList<>();
      List<Integer> rest = new ArrayList<>();
      for (int i = 0; i < indexes.size(); i++) {
        (named.contains(i) ? bad : rest).add(indexes.get(i));
      }
      return post(tenant, items, rest, false)
          .map(again -> new Sent(null, false, rowsOf(items, bad), refused).plus(again));
    });
  }

  /** The positions of the items campaign-service's problem names in {@code errors[].field} ({@code profiles[3].city}). */
  private Set<Integer> namedItems(Answer answer, String key, int size) {
    Set<Integer> named = new TreeSet<>();
    try {
      for (JsonNode error : mapper.readTree(answer.body()).path("errors")) {
        Matcher m = ITEM.matcher(error.path("field").asText(""));
        if (m.find() && m.group(1).equals(key)) {
          int index = Integer.parseInt(m.group(2));
          if (index < size) {
            named.add(index);
          }
        }
      }
    } catch (Exception e) {
      return Set.of();
    }
    return named;
  }

  private static List<Long> rowsOf(Items items, List<Integer> indexes) {
    List<Long> rows = new ArrayList<>();
    indexes.forEach(i -> rows.addAll(items.rows().get(i)));
    return rows;
  }

  private String eventJson(Pending e) {
    ObjectNode event = mapper.createObjectNode()
        .put("customer_id", e.customerId())
        .put("type", e.eventType())
        .put("occurred_at", e.occurredAt().withOffsetSameInstant(ZoneOffset.UTC).toString());
    return event.toString();
  }

  /** The tenants starting one further along at each pass. */
  private List<String> rotated(List<String> tenants) {
    if (tenants.isEmpty()) {
      return tenants;
    }
    int start = Math.floorMod(turn.getAndIncrement(), tenants.size());
    List<String> out = new ArrayList<>(tenants.subList(start, tenants.size()));
    out.addAll(tenants.subList(0, start));
    return out;
  }

  private static boolean due(Backoff b) {
    return b == null || System.nanoTime() - b.notBeforeNanos() >= 0;
  }

  /** Backs off the tenant, or every tenant ({@code tenant} null) while campaign-service is down. */
  private void failed(String tenant, String failure) {
    Backoff previous = tenant == null ? down : backoff.get(tenant);
    int failures = previous == null ? 1 : previous.failures() + 1;
    long delay = config.retryInitial().toNanos();
    for (int i = 1; i < failures && delay < config.retryMax().toNanos(); i++) {
      delay *= 2;
    }
    delay = Math.min(delay, config.retryMax().toNanos());
    Backoff next = new Backoff(failures, System.nanoTime() + delay);
    if (tenant == null) {
      down = next;
    } else {
      backoff.put(tenant, next);
    }
    Log.warnf("audience feed: delivery %s failed (%d in a row): %s; next try in %d ms",
        tenant == null ? "to campaign-service" : "for tenant " + tenant, failures, failure,
        Duration.ofNanos(delay).toMillis());
  }

  private static String describe(Answer answer) {
    String body = answer.body() == null ? "" : answer.body();
    return (answer.status() == 0 ? "nothing" : "HTTP " + answer.status()) + ": "
        + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
