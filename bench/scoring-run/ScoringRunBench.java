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
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static bench.BenchSupport.*;

/**
 * Full scoring run of scoring-service (POST /api/v1/scoring/runs + polling) over purchase facts of
 * 1,000,000 customers drawn from a BG/NBD + Gamma-Gamma process, against one SQL GROUP BY customer
 * aggregate over the same facts, and the service's peak RSS (VmHWM). See README.md.
 *
 * <pre>
 * java -cp postgresql.jar bench/scoring-run/ScoringRunBench.java [--customers 1000000] [holdout=true]
 *      [db=crm_bench_scoring] [pg=127.0.0.1:5432] [user=postgres] [password=postgres]
 *      ["jvm=..."]   (the service's JVM flags; default: what ./crm up gives every service, BenchSupport.serviceJvmFlags)
 * </pre>
 */
public class ScoringRunBench {

  static final String TENANT = "bench";
  static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);
  static final int DAYS = 730;
  // the process: BG/NBD r = 0.5, alpha = ALPHA (per day), a = 1, b = B; Gamma-Gamma p = 6, q = 4, gamma = 15
  static final double ALPHA = 10;
  static final double B = 2.5;
  static final double GOAL_RATIO = 3;
  static final long GOAL_RSS_MB = 350;

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>(Map.of("customers", "1000000", "holdout", "true",
        "db", "crm_bench_scoring", "pg", "127.0.0.1:5432", "user", "postgres", "password", "postgres",
        "jvm", String.join(" ", serviceJvmFlags())));
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        opt.put(args[i].substring(2), args[++i]);
      } else {
        String[] kv = args[i].split("=", 2);
        opt.put(kv[0], kv[1]);
      }
    }
    int customers = Integer.parseInt(opt.get("customers"));
    String db = opt.get("db");
    Path root = findRoot();
    String base = "jdbc:postgresql://" + opt.get("pg") + "/";
    ensureDatabase(opt.get("pg"), opt.get("user"), opt.get("password"), db);
    Service started = startService(root, "scoring-service", db, opt, List.of(opt.get("jvm").trim().split("\\s+")));
    Process service = started.process();
    String url = started.url();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long idleRss = rssKb(service.pid(), "VmRSS");

    try (Connection c = DriverManager.getConnection(base + db, opt.get("user"), opt.get("password"))) {
      seed(c, customers);
      String token = token(root.resolve("testing/src/main/resources/crm-test-keys/privateKey.pem"), TENANT, "admin");

      long[] sql1 = aggregate(c);
      long runMs = run(http, url, token, "{\"as_of\": \"" + AS_OF + "\"}");
      long hwmPlain = rssKb(service.pid(), "VmHWM");
      long[] sql2 = aggregate(c);
      long holdoutMs = -1;
      long hwmHoldout = -1;
      if (Boolean.parseBoolean(opt.get("holdout"))) {
        holdoutMs = run(http, url, token, "{\"as_of\": \"" + AS_OF + "\", \"calibration_end\": \""
            + AS_OF.minusDays(182) + "\"}");
        hwmHoldout = rssKb(service.pid(), "VmHWM");
      }
      long sqlMs = Math.min(sql1[0], sql2[0]);
      long facts = count(c, "SELECT count(*) FROM purchase_fact WHERE tenant_id = '" + TENANT + "'");
      long scored = count(c, "SELECT count(*) FROM customer_score WHERE tenant_id = '" + TENANT + "'");
      say("");
      say("scoring-service full run: " + customers + " customers, " + facts + " orders (" + sql1[1]
          + " customers aggregated by SQL), " + scored + " scores stored");
      say(String.format("  SQL GROUP BY customer aggregate (JDBC, all rows fetched): %d ms (runs: %d, %d)", sqlMs,
          sql1[0], sql2[0]));
      say(String.format("  full run, no calibration_end (POST + poll): %d ms -> ratio %.2f (goal <= %.0f: %s)", runMs,
          runMs / (double) sqlMs, GOAL_RATIO, runMs <= GOAL_RATIO * sqlMs ? "met" : "NOT met"));
      if (holdoutMs >= 0) {
        say(String.format("  full run with calibration_end (holdout report):  %d ms -> ratio %.2f", holdoutMs,
            holdoutMs / (double) sqlMs));
      }
      say(String.format("  service RSS: idle %d MB; peak (VmHWM) after the plain run %d MB%s (goal <= %d MB: %s)",
          idleRss / 1024, hwmPlain / 1024, hwmHoldout < 0 ? "" : ", after the holdout run " + hwmHoldout / 1024 + " MB",
          GOAL_RSS_MB, Math.max(hwmPlain, hwmHoldout) / 1024 <= GOAL_RSS_MB ? "met" : "NOT met"));
      String scale = customers + " customers, " + facts + " orders";
      result("scoring-run.time", "full scoring run through the API", scale, runMs / 1000.0, "s", sqlMs / 1000.0,
          "≤ " + GOAL_RATIO + "× SQL aggregate", runMs <= GOAL_RATIO * sqlMs);
      result("scoring-run.rss", "scoring-service peak RSS during the run", scale,
          Math.max(hwmPlain, hwmHoldout) / 1024.0, "MB", null, "≤ " + GOAL_RSS_MB + " MB",
          Math.max(hwmPlain, hwmHoldout) / 1024 <= GOAL_RSS_MB);
    } finally {
      service.destroy();
      service.waitFor();
    }
  }

  /** Starts a run and polls it to the end; answers the wall time in ms. */
  static long run(HttpClient http, String url, String token, String body) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> started = http.send(request(url + "/api/v1/scoring/runs", token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (started.statusCode() != 202) {
      throw new IllegalStateException("run answered " + started.statusCode() + ": " + started.body());
    }
    Matcher m = Pattern.compile("\"id\":(\\d+)").matcher(started.body());
    m.find();
    String runUrl = url + "/api/v1/scoring/runs/" + m.group(1);
    while (true) {
      Thread.sleep(250);
      HttpResponse<String> r = http.send(request(runUrl, token).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.body().contains("\"status\":\"completed\"") || r.body().contains("\"status\":\"failed\"")) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String shown = r.body().replaceAll("\"holdout\":\\{.*?\"by_frequency\"", "\"holdout\":{...\"by_frequency\"");
        say("run " + body + " -> " + ms + " ms: " + (shown.length() > 900 ? shown.substring(0, 900) + "..." : shown));
        if (!r.body().contains("\"status\":\"completed\"")) {
          throw new IllegalStateException("run failed: " + r.body());
        }
        return ms;
      }
    }
  }

  /** The floor: one GROUP BY customer over the same facts, every row fetched. {ms, rows}. */
  static long[] aggregate(Connection c) throws SQLException {
    c.setAutoCommit(false);
    long t0 = System.nanoTime();
    long rows = 0;
    try (Statement s = c.createStatement()) {
      s.setFetchSize(10_000);
      try (ResultSet rs = s.executeQuery("""
          SELECT customer_id, count(DISTINCT purchase_day) AS days, min(purchase_day) AS first_day,
                 max(purchase_day) AS last_day, sum(value - refunded) AS value
            FROM purchase_fact
           WHERE tenant_id = '%s' AND counted AND customer_id IS NOT NULL AND purchase_day <= '%s'
           GROUP BY customer_id""".formatted(TENANT, AS_OF))) {
        while (rs.next()) {
          rs.getLong(1);
          rs.getInt(2);
          rs.getDate(3);
          rs.getDate(4);
          rs.getBigDecimal(5);
          rows++;
        }
      }
    }
    c.commit();
    c.setAutoCommit(true);
    return new long[] {(System.nanoTime() - t0) / 1_000_000, rows};
  }

  /**
   * Seeds purchase facts with generate_series + random() (setseed: deterministic): per customer a
   * first purchase uniform over the 730 days up to AS_OF, a purchase rate λ ~ Gamma(0.5, ALPHA)
   * (λ = Z²/(2α), Z normal by Box-Muller), a dropout probability p ~ Beta(1, B) (inverse CDF), the
   * number of repeat purchases made while alive 1 + Geometric(p) (at most 200), inter-purchase
   * gaps exponential(λ), kept while on or before AS_OF; spend per order Gamma(6, ν) with
   * ν ~ Gamma(4, 15) (sums of exponentials as logs of uniform products).
   */
  static void seed(Connection c, int customers) throws SQLException {
    long have = count(c, "SELECT count(DISTINCT customer_id) FROM purchase_fact WHERE tenant_id = '" + TENANT + "'");
    if (have == customers) {
      say("tenant '" + TENANT + "' already has purchase facts of " + have + " customers");
      try (Statement s = c.createStatement()) {
        // tenants seeded before the half-day fix below had a few purchases on the day after as_of
        int late = s.executeUpdate("DELETE FROM purchase_fact WHERE tenant_id = '" + TENANT + "' AND purchase_day > '"
            + AS_OF + "'");
        if (late > 0) {
          say("removed " + late + " orders after as_of (seeded before the fix)");
          s.execute("VACUUM ANALYZE customer_purchase_summary");
        }
      }
      return;
    }
    say("seeding purchase facts of " + customers + " customers with generate_series ...");
    long t0 = System.nanoTime();
    LocalDate start = AS_OF.minusDays(DAYS - 1);
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM purchase_fact WHERE tenant_id = '" + TENANT + "'");
      s.execute("DELETE FROM customer_score WHERE tenant_id = '" + TENANT + "'");
      s.execute("SELECT setseed(0.42)");
      s.execute("""
          CREATE TEMP TABLE bench_customer AS
          SELECT g AS customer_id,
                 floor(random() * %3$d)::int AS birth,
                 greatest(-ln(1 - random()) * cos(2 * pi() * random()) ^ 2 / %4$s, 1e-9) AS lambda,
                 greatest(1 - power(1 - random(), 1.0 / %5$s), 1e-6) AS p,
                 -ln((1 - random()) * (1 - random()) * (1 - random()) * (1 - random())) / 15.0 AS nu
            FROM generate_series(1, %2$d) g""".formatted(TENANT, customers, DAYS, ALPHA, B));
      s.execute("""
          ALTER TABLE bench_customer ADD COLUMN repeats int;
          UPDATE bench_customer SET repeats = least(1 + floor(ln(1 - random()) / ln(1 - p)), 200)""");
      s.execute("""
          INSERT INTO purchase_fact (tenant_id, order_no, customer_id, ordered_at, purchase_day, value, refunded,
                 status, version_at, updated_at)
          SELECT '%1$s', 'B' || customer_id || '-' || j, customer_id, at, (at AT TIME ZONE 'Asia/Shanghai')::date,
                 least(round((-ln((1 - random()) * (1 - random()) * (1 - random()) * (1 - random())
                       * (1 - random()) * (1 - random())) / nu)::numeric, 2), 999999999), 0, 'completed', at, at
            FROM (SELECT customer_id, j, nu,
                         timestamptz '%2$s 12:00:00+08' + make_interval(secs => t * 86400) AS at, t
                    FROM (SELECT c.customer_id, c.nu, j,
                                 c.birth + sum(CASE WHEN j = 0 THEN 0 ELSE -ln(1 - random()) / c.lambda END)
                                     OVER (PARTITION BY c.customer_id ORDER BY j) AS t
                            FROM bench_customer c, generate_series(0, c.repeats) j) x
                   WHERE t < %3$d - 0.5) y""".formatted(TENANT, start, DAYS)); // at noon + t: up to as_of's end
      s.execute("DROP TABLE bench_customer");
      s.execute("ANALYZE purchase_fact");
      // the purchase-fact triggers wrote every customer's summary twice (a locked placeholder, then
      // the values): what autovacuum would clean up soon after such a bulk load
      s.execute("VACUUM ANALYZE customer_purchase_summary");
    }
    say(String.format("seeded %d orders in %.1f s", count(c, "SELECT count(*) FROM purchase_fact WHERE tenant_id = '"
        + TENANT + "'"), (System.nanoTime() - t0) / 1e9));
  }

  static long rssKb(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  static HttpRequest.Builder request(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(300));
  }

}
