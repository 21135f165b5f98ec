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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static bench.BenchSupport.*;

/**
 * Bulk upsert benchmark of customer-service (POST /api/v1/customers/batch) against a table of
 * 1,000,000 customers, with a direct-SQL baseline. Needs only the JDK and the PostgreSQL JDBC
 * driver on the class path; see README.md.
 *
 * <pre>
 * java -cp postgresql.jar bench/customer-batch/CustomerBatchBench.java [customers=1000000] [calls=50]
 *      [batch=1000] [warmup=5] [db=crm_bench_customer] [pg=127.0.0.1:5432] [user=postgres] [password=postgres]
 * </pre>
 *
 * Steps: (1) creates the database, (2) starts the built service jar on a free port (Flyway creates
 * the schema), (3) seeds the customers with one generate_series INSERT if the tenant has fewer,
 * (4) mints an internal token with the test key, (5) times the calls, each half existing external
 * ids (changed fields: updates) and half new ones (creates), interleaved with the same kind of
 * upsert done by one multi-row SQL statement over JDBC, and (6) prints mean / p50 / p95 and the
 * ratio. Goal: <= 300 ms per 1000-customer call.
 */
public class CustomerBatchBench {

  static final String TENANT = "bench";
  static final long GOAL_MS = 300;

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>(Map.of("customers", "1000000", "calls", "50", "batch", "1000",
        "warmup", "5", "db", "crm_bench_customer", "pg", "127.0.0.1:5432", "user", "postgres",
        "password", "postgres"));
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      opt.put(kv[0], kv[1]);
    }
    int customers = Integer.parseInt(opt.get("customers"));
    int calls = Integer.parseInt(opt.get("calls"));
    int batch = Integer.parseInt(opt.get("batch"));
    int warmup = Integer.parseInt(opt.get("warmup"));
    String db = opt.get("db");
    Path root = findRoot();
    String base = "jdbc:postgresql://" + opt.get("pg") + "/";
    ensureDatabase(opt.get("pg"), opt.get("user"), opt.get("password"), db);
    Service started = startService(root, "customer-service", db, opt, List.of());
    Process service = started.process();
    String url = started.url();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    try (Connection c = DriverManager.getConnection(base + db, opt.get("user"), opt.get("password"))) {
      seed(c, customers);
      String token = token(root.resolve("testing/src/main/resources/crm-test-keys/privateKey.pem"), TENANT, "integration");
      String run = UUID.randomUUID().toString().substring(0, 8);
      Random random = new Random(run.hashCode()); // a new draw each run, so the "existing" half really changes
      List<Long> service_ms = new ArrayList<>();
      List<Long> sql_ms = new ArrayList<>();
      int[] statuses = new int[4];
      for (int call = -warmup; call < calls; call++) {
        List<Item> viaService = workload(random, customers, batch, "svc-" + run + "-" + call);
        List<Item> viaSql = workload(random, customers, batch, "sql-" + run + "-" + call);
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/customers/batch"))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(json(viaService))).build(), HttpResponse.BodyHandlers.ofString());
        long t1 = System.nanoTime();
        if (response.statusCode() != 200) {
          throw new IllegalStateException("batch call answered " + response.statusCode() + ": " + response.body());
        }
        long t2 = System.nanoTime();
        sqlUpsert(c, viaSql);
        long t3 = System.nanoTime();
        if (call >= 0) {
          service_ms.add((t1 - t0) / 1_000_000);
          sql_ms.add((t3 - t2) / 1_000_000);
          String body = response.body();
          statuses[0] += occurrences(body, "\"created\"");
          statuses[1] += occurrences(body, "\"updated\"");
          statuses[2] += occurrences(body, "\"unchanged\"");
          statuses[3] += occurrences(body, "\"error\"");
        }
      }
      long rows = count(c, "SELECT count(*) FROM customer WHERE tenant_id = '" + TENANT + "'");
      say("");
      say("customer-service bulk upsert: " + calls + " calls x " + batch + " customers (half existing, half new), "
          + rows + " customers in the tenant now");
      say("  results: created=" + statuses[0] + " updated=" + statuses[1] + " unchanged=" + statuses[2]
          + " error=" + statuses[3]);
      say(line("POST /customers/batch (HTTP)", service_ms));
      say(line("one multi-row SQL over JDBC", sql_ms));
      double ratio = mean(service_ms) / Math.max(0.001, mean(sql_ms));
      say(String.format("  ratio service/SQL (mean): %.2f", ratio));
      say("  goal: <= " + GOAL_MS + " ms per call -> " + (percentile(service_ms, 95) <= GOAL_MS ? "met (p95)"
          : mean(service_ms) <= GOAL_MS ? "met (mean), p95 over" : "NOT met"));
      result("customer-batch.p95", "`POST /customers/batch`, " + batch + " customers per call (p95)",
          rows + " customers", percentile(service_ms, 95), "ms", (double) percentile(sql_ms, 95),
          "≤ " + GOAL_MS + " ms", percentile(service_ms, 95) <= GOAL_MS);
    } finally {
      service.destroy();
      service.waitFor();
    }
  }

  record Item(String externalId, String name, String phone, String email, String city) {
  }

  /** Half existing seeded customers (distinct, with a changed city and phone), half new external ids. */
  static List<Item> workload(Random random, int customers, int batch, String prefix) {
    List<Item> items = new ArrayList<>();
    Set<Integer> picked = new LinkedHashSet<>();
    while (picked.size() < batch / 2) {
      picked.add(1 + random.nextInt(customers));
    }
    String[] cities = {"杭州", "上海", "北京", "广州", "深圳", "成都"};
    for (int g : picked) {
      items.add(new Item("seed-" + g, "Customer " + g, "139" + String.format("%08d", random.nextInt(100_000_000)),
          "c" + g + "@example.com", cities[random.nextInt(cities.length)]));
    }
    for (int i = items.size(); i < batch; i++) {
      items.add(new Item(prefix + "-" + i, "New " + i, "137" + String.format("%08d", i), prefix + i + "@example.com",
          cities[i % cities.length]));
    }
    return items;
  }

  static String json(List<Item> items) {
    StringBuilder out = new StringBuilder("{\"customers\":[");
    for (int i = 0; i < items.size(); i++) {
      Item it = items.get(i);
      out.append(i == 0 ? "" : ",").append("{\"platform\":\"taobao\",\"external_id\":\"").append(it.externalId())
          .append("\",\"name\":\"").append(it.name()).append("\",\"phone\":\"").append(it.phone())
          .append("\",\"email\":\"").append(it.email()).append("\",\"city\":\"").append(it.city())
          .append("\",\"attributes\":{\"source\":\"bench\"}}");
    }
    return out.append("]}").toString();
  }

  /** The baseline: the same upsert (identity claim, insert new, update existing) as ONE statement. */
  static void sqlUpsert(Connection c, List<Item> items) throws SQLException {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      values.append(i == 0 ? "" : ",").append("(?, ?, ?, ?, ?, ?, ?)");
    }
    String sql = """
        WITH input(external_id, name, phone, phone_norm, email, email_norm, city) AS (VALUES %s),
        claimed AS (
            INSERT INTO customer_identity (tenant_id, platform, external_id, customer_id, created_at)
            SELECT '%s', 'taobao', i.external_id, nextval('customer_id_seq'), now() FROM input i
             WHERE NOT EXISTS (SELECT 1 FROM customer_identity ci WHERE ci.tenant_id = '%2$s'
                                  AND ci.platform = 'taobao' AND ci.external_id = i.external_id)
            ON CONFLICT DO NOTHING RETURNING external_id, customer_id),
        inserted AS (
            INSERT INTO customer (tenant_id, id, platform, external_id, name, phone, phone_norm, email, email_norm,
                                  city, attributes, created_at, updated_at)
            SELECT '%2$s', cl.customer_id, 'taobao', i.external_id, i.name, i.phone, i.phone_norm, i.email,
                   i.email_norm, i.city, '{"source":"bench"}', now(), now()
              FROM input i JOIN claimed cl USING (external_id) RETURNING id),
        updated AS (
            UPDATE customer c SET name = i.name, phone = i.phone, phone_norm = i.phone_norm, email = i.email,
                   email_norm = i.email_norm, city = i.city,
                   attributes = c.attributes || '{"source":"bench"}', updated_at = now()
              FROM input i JOIN customer_identity ci ON ci.tenant_id = '%2$s' AND ci.platform = 'taobao'
                                                    AND ci.external_id = i.external_id
             WHERE c.tenant_id = '%2$s' AND c.id = ci.customer_id RETURNING c.id)
        SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM updated)""".formatted(values, TENANT);
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int p = 1;
      for (Item it : items) {
        s.setString(p++, it.externalId());
        s.setString(p++, it.name());
        s.setString(p++, it.phone());
        s.setString(p++, it.phone());
        s.setString(p++, it.email());
        s.setString(p++, it.email().toLowerCase());
        s.setString(p++, it.city());
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
      }
    }
  }

  static void seed(Connection c, int customers) throws SQLException {
    try (Statement s = c.createStatement()) {
      // rows created by earlier runs' "new" halves go, so every run starts from the same table
      int removed = s.executeUpdate("DELETE FROM customer WHERE tenant_id = '" + TENANT
          + "' AND (external_id LIKE 'svc-%' OR external_id LIKE 'sql-%')");
      if (removed > 0) {
        say("removed " + removed + " customers created by earlier runs");
      }
      long have = count(c, "SELECT count(*) FROM customer WHERE tenant_id = '" + TENANT + "'");
      if (have >= customers) {
        say("tenant '" + TENANT + "' already has " + have + " customers");
        return;
      }
      say("seeding " + customers + " customers with generate_series ...");
      long t0 = System.nanoTime();
      s.execute("DELETE FROM customer WHERE tenant_id = '" + TENANT + "'");
      s.execute("""
          INSERT INTO customer (tenant_id, id, platform, external_id, name, phone, phone_norm, email, email_norm,
                                gender, birthday, province, city, attributes, created_at, updated_at)
          SELECT '%1$s', nextval('customer_id_seq'), 'taobao', 'seed-' || g, 'Customer ' || g,
                 '138' || lpad(g::text, 8, '0'), '138' || lpad(g::text, 8, '0'),
                 'c' || g || '@example.com', 'c' || g || '@example.com',
                 (ARRAY['male', 'female', 'unknown'])[1 + g %% 3],
                 date '1970-01-01' + (g %% 15000),
                 (ARRAY['浙江', '上海', '北京', '广东', '四川'])[1 + g %% 5],
                 (ARRAY['杭州', '上海', '北京', '广州', '成都'])[1 + g %% 5],
                 '{}', now() - make_interval(secs => %2$d - g), now()
            FROM generate_series(1, %2$d) AS g""".formatted(TENANT, customers));
      s.execute("""
          INSERT INTO customer_identity (tenant_id, platform, external_id, customer_id, created_at)
          SELECT tenant_id, platform, external_id, id, created_at FROM customer WHERE tenant_id = '%s'"""
          .formatted(TENANT));
      s.execute("ANALYZE customer");
      s.execute("ANALYZE customer_identity");
      say(String.format("seeded in %.1f s", (System.nanoTime() - t0) / 1e9));
    }
  }

  static int occurrences(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

}
