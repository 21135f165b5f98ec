package com.shopcrm.e2e.security;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.e2e.E2ePlatform;
import com.shopcrm.e2e.PlatformExtension;
import com.shopcrm.e2e.security.ApiCatalog.Access;
import com.shopcrm.e2e.security.ApiCatalog.Ids;
import com.shopcrm.e2e.security.ApiCatalog.Op;
import com.shopcrm.e2e.security.HostileCases.Case;
import com.shopcrm.e2e.security.Http.Answer;
import com.shopcrm.e2e.security.Http.Call;
import com.shopcrm.e2e.security.SecurityFixture.Tenant;
import com.shopcrm.launcher.ServiceSpec;
import com.shopcrm.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile input (issue #8): for every operation of the aggregated OpenAPI document that takes a
 * body, malformed requests generated from a valid body ({@link HostileCases}, seed {@value #SEED}),
 * and for the order import broken CSV. Every answer: no 5xx, every 4xx a problem+json; and a
 * refused request writes nothing — the shop's rows in every table of the service that answered
 * (counted in its database) are the same before and after it.
 */
@ExtendWith(PlatformExtension.class)
class HostileInputTest {

  static final long SEED = 8;
  /** Fields of one body that get per-field cases, chosen by the seed. */
  private static final int LEAVES_PER_BODY = 6;
  /** Services in the order their cases run: each one's asynchronous consumers have run before (see {@link #settle}). */
  private static final List<String> SERVICE_ORDER = List.of("gateway", "customer-service", "scoring-service",
      "campaign-service", "order-service");
  /**
   * Tables that change in the background, not within the request, so a refused request is not
   * blamed for them: outboxes their relays empty after delivery, and the order-event dispatcher's
   * per-subscriber delivery rows.
   */
  private static final Map<String, Set<String>> BACKGROUND_TABLES = Map.of(
      "customer-service", Set.of("audience_outbox"),
      "order-service", Set.of("order_event_delivery", "order_event_cursor"),
      "scoring-service", Set.of("score_push_outbox", "score_push_run"),
      "campaign-service", Set.of(),
      "gateway", Set.of());

  private final SecurityFixture fixture;
  private final E2ePlatform platform;
  private final Map<String, Connection> databases = new HashMap<>();

  HostileInputTest(E2ePlatform platform) {
    this.fixture = SecurityFixture.of(platform);
    this.platform = platform;
  }

  @AfterEach
  void closeDatabases() throws SQLException {
    for (Connection c : databases.values()) {
      c.close();
    }
  }

  @Test
  void malformedBodiesGetProblemAnswersNever5xxAndWriteNothing() {
    Tenant h = fixture.newTenant("hostile");
    Ids ids = fixture.seed(h, false);
    settle(h);

    List<String> failures = new ArrayList<>();
    Map<String, Integer> casesPerService = new TreeMap<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    int operations = 0;
    int rejected = 0;
    long started = System.nanoTime();
    for (String service : SERVICE_ORDER) {
      Map<String, Long> baseline = counts(service, h);
      for (Op op : fixture.ops()) {
        if (!op.hasBody() || !op.service().equals(service)) {
          continue;
        }
        operations++;
        String key = op.access() == Access.PLATFORM ? E2ePlatform.ADMIN_KEY : h.adminKey();
        boolean csv = op.contentType().equals("text/csv");
        String path = op.pathFor(ids) + (csv ? "?format=generic" : "");
        long seed = SEED * 31 + op.key().hashCode();
        List<Case> cases = csv ? HostileCases.csv((String) op.body().apply(ids), seed)
            : HostileCases.json(Http.JSON.valueToTree(op.body().apply(ids)), seed, LEAVES_PER_BODY);
        if (csv) {
          cases = new ArrayList<>(cases);
          cases.add(new Case("csv unknown format", Http.utf8((String) op.body().apply(ids)), "text/csv"));
        }
        for (Case c : cases) {
          String target = c.name().equals("csv unknown format") ? op.pathFor(ids) + "?format=xlsx" : path;
          Call call = fixture.call(op.method(), target, key, c.body(), c.contentType());
          if (c.contentType() == null) {
            call = new Call(call.method(), call.port(), call.path(), call.headers(), c.body(), null);
          }
          Answer a = Http.send(call);
          casesPerService.merge(service, 1, Integer::sum);
          statuses.merge(a.status(), 1, Integer::sum);
          String where = op + " [" + c.name() + "]";
          if (a.status() >= 500) {
            failures.add("5xx: " + where + " -> " + a);
          } else if (a.status() >= 400 && !a.isProblem()) {
            failures.add("4xx without problem+json: " + where + " -> " + a);
          } else if (a.status() < 200 || a.status() >= 300 && a.status() < 400) {
            failures.add("unexpected status: " + where + " -> " + a);
          }
          if (a.is2xx()) {
            awaitBackgroundJob(op, a, h, where, failures);
          }
          Map<String, Long> after = counts(service, h);
          if (a.status() >= 400) {
            rejected++;
            Map<String, String> diff = diff(baseline, after);
            if (!diff.isEmpty()) {
              failures.add("partial write: " + where + " -> " + a.status() + " but rows changed " + diff);
            }
          }
          baseline = after;
        }
      }
      settle(h);
    }
    int total = casesPerService.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf("Hostile input (seed %d): %d cases over %d operations with a body %s in %.1f s; statuses %s;"
            + " %d refused, %d with 5xx, %d failures%n", SEED, total, operations, casesPerService,
        (System.nanoTime() - started) / 1e9, statuses, rejected,
        statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum(), failures.size());
    assertTrue(total >= 1000, "at least 1,000 cases: " + total);
    assertTrue(failures.isEmpty(), failures.size() + " failure(s):\n" + String.join("\n", failures));
  }

  /** Accepted long work (import, scoring run, resync) finishes before the next case counts rows. */
  private void awaitBackgroundJob(Op op, Answer accepted, Tenant h, String where, List<String> failures) {
    String poll = switch (op.key()) {
      case "POST /api/v1/orders/imports" -> "/api/v1/orders/imports/";
      case "POST /api/v1/scoring/runs" -> "/api/v1/scoring/runs/";
      case "POST /api/v1/scoring/resync" -> "/api/v1/scoring/resync/";
      default -> null;
    };
    if (poll == null) {
      return;
    }
    String id = accepted.json().path("id").asText();
    Answer last = fixture.await("the job of " + where, () -> fixture.send("GET", poll + id, h.adminKey(), null),
        a -> a.status() >= 500 || a.status() == 200 && !a.body().contains("\"queued\"") && !a.body().contains("\"running\""));
    if (last.status() != 200) {
      failures.add("job status answered " + last + " after " + where);
    }
  }

  /** The shop's rows per table in one service's database (the gateway: all tenants and keys). */
  private Map<String, Long> counts(String service, Tenant h) {
    try {
      Connection c = database(service);
      Map<String, Long> counts = new TreeMap<>();
      if (service.equals("gateway")) {
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(
            "SELECT (SELECT count(*) FROM tenant), (SELECT count(*) FROM api_key)")) {
          rs.next();
          counts.put("tenant", rs.getLong(1));
          counts.put("api_key", rs.getLong(2));
        }
        return counts;
      }
      List<String> tables = new ArrayList<>();
      try (var s = c.createStatement(); ResultSet rs = s.executeQuery("""
          SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1""")) {
        while (rs.next()) {
          if (!BACKGROUND_TABLES.get(service).contains(rs.getString(1))) {
            tables.add(rs.getString(1));
          }
        }
      }
      StringBuilder sql = new StringBuilder();
      for (String table : tables) {
        sql.append(sql.isEmpty() ? "" : " UNION ALL ")
            .append("SELECT '").append(table).append("', count(*) FROM ").append(table).append(" WHERE tenant_id = ?");
      }
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 1; i <= tables.size(); i++) {
          ps.setString(i, h.id());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            counts.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      return counts;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count " + service + "'s rows", e);
    }
  }

  private Connection database(String service) throws SQLException {
    Connection c = databases.get(service);
    if (c == null) {
      String prefix = System.getProperty("crm.e2e.db-prefix", "crm_e2e_");
      TestDatabase db = TestDatabase.get();
      c = java.sql.DriverManager.getConnection("jdbc:postgresql://" + db.host() + ":" + db.port() + "/"
          + ServiceSpec.byName(service).orElseThrow().database(prefix), db.user(), db.password());
      databases.put(service, c);
    }
    return c;
  }

  private static Map<String, String> diff(Map<String, Long> before, Map<String, Long> after) {
    Map<String, String> diff = new LinkedHashMap<>();
    after.forEach((table, n) -> {
      if (!n.equals(before.get(table))) {
        diff.put(table, before.get(table) + " -> " + n);
      }
    });
    return diff;
  }

  /** Until no service's rows of the shop change for 1.5 s (background consumers caught up), at most 30 s. */
  /** Whether order-service reports no lag and no pending retry for the shop at any enabled subscriber. */
  private boolean eventsDelivered(Tenant h) {
    io.restassured.response.Response r = platform.gateway().header("Authorization", "Bearer " + h.adminKey())
        .get("/api/v1/orders/events/subscribers");
    if (r.statusCode() != 200) {
      return false;
    }
    List<Map<String, Object>> subscribers = r.jsonPath().getList("$");
    return subscribers.stream().filter(sub -> Boolean.TRUE.equals(sub.get("enabled")))
        .allMatch(sub -> ((Number) sub.get("lag")).longValue() == 0
            && ((Number) sub.getOrDefault("pending_retries", 0)).longValue() == 0);
  }

  private void settle(Tenant h) {
    Map<String, Map<String, Long>> last = null;
    int stable = 0;
    long deadline = System.currentTimeMillis() + 60_000;
    // the order events of the shop's accepted orders reach their subscribers in the background (after a
    // back-off, should one have been slow): until each has them all, its tables may still change
    while (System.currentTimeMillis() < deadline && !eventsDelivered(h)) {
      SecurityFixture.sleep(500);
    }
    while (System.currentTimeMillis() < deadline && stable < 3) {
      Map<String, Map<String, Long>> now = new TreeMap<>();
      for (String service : SERVICE_ORDER) {
        now.put(service, counts(service, h));
      }
      stable = now.equals(last) ? stable + 1 : 0;
      last = now;
      SecurityFixture.sleep(500);
    }
  }
}
