import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static bench.BenchSupport.*;

/**
 * Segment count benchmark of campaign-service (GET /api/v1/segments/{id}/count) over an audience
 * read model of 1,000,000 profiles, against the same count written by hand in SQL. Needs only the
 * JDK and the PostgreSQL JDBC driver on the class path; see README.md.
 *
 * <pre>
 * java -cp postgresql.jar bench/segment-count/SegmentCountBench.java [profiles=1000000] [calls=20]
 *      [warmup=3] [db=crm_bench_campaign] [pg=127.0.0.1:5432] [user=postgres] [password=postgres]
 * </pre>
 */
public class SegmentCountBench {

  static final String TENANT = "bench";
  static final long GOAL_MS = 1000;

  /** rfm_segment in [...] AND (tags contains vip OR predicted_clv_365d >= 500) AND NOT city = 上海. */
  static final String RULE = """
      {"all": [ {"field": "rfm_segment", "op": "in", "value": ["important_value", "important_development"]},
        {"any": [ {"field": "tags", "op": "contains", "value": "vip"},
                  {"field": "predicted_clv_365d", "op": "gte", "value": 500} ]},
        {"not": {"field": "city", "op": "eq", "value": "上海"}} ]}""";

  static final String HAND_SQL = """
      SELECT count(*) FROM audience_profile
       WHERE tenant_id = 'bench'
         AND rfm_segment IN ('important_value', 'important_development')
         AND (tags @> ARRAY['vip'] OR predicted_clv_365d >= 500)
         AND city IS DISTINCT FROM '上海'""";

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>(Map.of("profiles", "1000000", "calls", "20", "warmup", "3",
        "db", "crm_bench_campaign", "pg", "127.0.0.1:5432", "user", "postgres", "password", "postgres"));
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      opt.put(kv[0], kv[1]);
    }
    int profiles = Integer.parseInt(opt.get("profiles"));
    int calls = Integer.parseInt(opt.get("calls"));
    int warmup = Integer.parseInt(opt.get("warmup"));
    String db = opt.get("db");
    Path root = findRoot();
    String base = "jdbc:postgresql://" + opt.get("pg") + "/";
    ensureDatabase(opt.get("pg"), opt.get("user"), opt.get("password"), db);
    Service started = startService(root, "campaign-service", db, opt, List.of());
    Process service = started.process();
    String url = started.url();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    try (Connection c = DriverManager.getConnection(base + db, opt.get("user"), opt.get("password"))) {
      seed(c, profiles);
      String token = token(root.resolve("testing/src/main/resources/crm-test-keys/privateKey.pem"), TENANT, "marketer");
      try (Statement s = c.createStatement()) { // earlier runs' segments (and their members) go
        s.execute("DELETE FROM segment_member WHERE tenant_id = '" + TENANT + "'");
        s.execute("DELETE FROM segment WHERE tenant_id = '" + TENANT + "'");
      }
      long t0 = System.nanoTime();
      HttpResponse<String> created = http.send(request(url + "/api/v1/segments", token)
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"bench 3-predicate\", \"rule\": " + RULE + "}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      long createMs = (System.nanoTime() - t0) / 1_000_000;
      if (created.statusCode() != 201) {
        throw new IllegalStateException("create answered " + created.statusCode() + ": " + created.body());
      }
      Matcher m = Pattern.compile("\"id\":(\\d+)").matcher(created.body());
      m.find();
      String countUrl = url + "/api/v1/segments/" + m.group(1) + "/count";

      List<Long> serviceMs = new ArrayList<>();
      List<Long> sqlMs = new ArrayList<>();
      long serviceCount = -1;
      long sqlCount = -1;
      for (int call = -warmup; call < calls; call++) {
        long a = System.nanoTime();
        HttpResponse<String> r = http.send(request(countUrl, token).GET().build(), HttpResponse.BodyHandlers.ofString());
        long b = System.nanoTime();
        if (r.statusCode() != 200) {
          throw new IllegalStateException("count answered " + r.statusCode() + ": " + r.body());
        }
        serviceCount = Long.parseLong(r.body().replaceAll("\\D", ""));
        long d = System.nanoTime();
        sqlCount = count(c, HAND_SQL);
        long e = System.nanoTime();
        if (call >= 0) {
          serviceMs.add((b - a) / 1_000_000);
          sqlMs.add((e - d) / 1_000_000);
        }
      }
      long members = count(c, "SELECT count(*) FROM segment_member WHERE tenant_id = '" + TENANT + "'");
      say("");
      say("campaign-service segment count: " + profiles + " audience profiles, " + calls + " calls after "
          + warmup + " warm-up");
      say("  rule: rfm_segment in [important_value, important_development] AND (tags contains vip OR "
          + "predicted_clv_365d >= 500) AND NOT city = 上海");
      say("  matches: service " + serviceCount + ", hand-written SQL " + sqlCount
          + (serviceCount == sqlCount ? " (equal)" : " (DIFFERENT!)"));
      say("  POST /segments (validate + first membership of " + members + " customers): " + createMs + " ms");
      say(line("GET /segments/{id}/count (HTTP)", serviceMs));
      say(line("hand-written SQL count (JDBC)", sqlMs));
      say(String.format("  ratio service/SQL (mean): %.2f", mean(serviceMs) / Math.max(0.001, mean(sqlMs))));
      say("  goal: <= " + GOAL_MS + " ms -> " + (percentile(serviceMs, 95) <= GOAL_MS ? "met (p95)"
          : mean(serviceMs) <= GOAL_MS ? "met (mean), p95 over" : "NOT met"));
      result("segment-count.p95", "`GET /segments/{id}/count`, 3-predicate segment (p95)", profiles + " profiles",
          percentile(serviceMs, 95), "ms", (double) percentile(sqlMs, 95), "≤ " + GOAL_MS + " ms",
          percentile(serviceMs, 95) <= GOAL_MS);
    } finally {
      service.destroy();
      service.waitFor();
    }
  }

  static HttpRequest.Builder request(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(300));
  }

  /**
   * Seeds the read model with one generate_series INSERT: rfm classes, lifecycle stages and cities
   * with uneven weights, ~5% tagged vip, a long-tailed predicted CLV (~11% at 500 or more), consent
   * mostly granted, last orders over two years. Deterministic (setseed).
   */
  static void seed(Connection c, int profiles) throws SQLException {
    try (Statement s = c.createStatement()) {
      long have = count(c, "SELECT count(*) FROM audience_profile WHERE tenant_id = '" + TENANT + "'");
      if (have == profiles) {
        say("tenant '" + TENANT + "' already has " + have + " audience profiles");
        return;
      }
      say("seeding " + profiles + " audience profiles with generate_series ...");
      long t0 = System.nanoTime();
      s.execute("DELETE FROM audience_profile WHERE tenant_id = '" + TENANT + "'");
      s.execute("SELECT setseed(0.42)");
      seedAudience(s, TENANT, profiles, "0.30", "r6 > 0.08, r6 > 0.2, r6 > 0.5");
      s.execute("ANALYZE audience_profile");
      say(String.format("seeded in %.1f s", (System.nanoTime() - t0) / 1e9));
    }
  }

}
