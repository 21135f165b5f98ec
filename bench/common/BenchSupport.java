package bench;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What every benchmark in bench/ needs: the checkout's root, a service jar started and awaited, an
 * internal token minted with the test-only key (java.security only), and latency statistics. Each
 * run.sh compiles this file with its benchmark ({@code import static bench.BenchSupport.*}).
 */
public final class BenchSupport {

  private BenchSupport() {
  }

  /** An internal token as the gateway mints it (RS256, issuer shop-crm-gateway, audience shop-crm). */
  public static String token(Path privateKeyPem, String tenant, String role) throws Exception {
    String pem = Files.readString(privateKeyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    long now = System.currentTimeMillis() / 1000;
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"crm-test\"}";
    String claims = "{\"iss\":\"shop-crm-gateway\",\"aud\":\"shop-crm\",\"sub\":\"bench\",\"tenant_id\":\"" + tenant
        + "\",\"groups\":[\"" + role + "\"],\"iat\":" + now + ",\"exp\":" + (now + 3600) + ",\"jti\":\""
        + UUID.randomUUID() + "\"}";
    String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(key);
    signature.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64.encodeToString(signature.sign());
  }

  public static void waitReady(HttpClient http, String url, Process service) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException("the service exited; see its log");
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException("the service did not become ready within 120 s");
  }

  public static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("customer-service/pom.xml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("run from inside the shop-crm checkout");
    }
    return dir;
  }

  public static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public static void say(String text) {
    System.out.println(text);
  }

  /**
   * One figure for bench/run.sh, which collects these lines into docs/BENCHMARKS.md: a tab-separated
   * {@code BENCH-RESULT id measure scale value unit baseline goal met} line. {@code id} is stable across scales (the
   * cost curve joins on it); {@code baseline} is in the same unit, measured in the same run (null: none);
   * {@code met} is null when the figure is only reported.
   */
  public static void result(String id, String measure, String scale, double value, String unit, Double baseline,
      String goal, Boolean met) {
    System.out.println(String.join("\t", "BENCH-RESULT", id, measure, scale, String.format(java.util.Locale.ROOT,
        "%.3f", value), unit, baseline == null ? "" : String.format(java.util.Locale.ROOT, "%.3f", baseline),
        goal == null ? "" : goal, met == null ? "" : met ? "yes" : "no"));
  }

  public static double mean(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).average().orElse(0);
  }

  public static long percentile(List<Long> values, int p) {
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(rank, sorted.length - 1))];
  }

  public static String line(String label, List<Long> ms) {
    long[] sorted = ms.stream().mapToLong(Long::longValue).sorted().toArray();
    return String.format("  %-34s mean %6.1f ms   p50 %4d ms   p95 %4d ms   min %4d   max %4d", label, mean(ms),
        percentile(ms, 50), percentile(ms, 95), sorted[0], sorted[sorted.length - 1]);
  }

  /**
   * The JVM flags {@code ./crm up} gives every service (launcher {@code PlatformConfig.SERVICE_JVM_OPTIONS},
   * with {@code MALLOC_ARENA_MAX=2} in its environment, which {@link #startService} sets too), then those of
   * {@code CRM_JAVA_OPTS} as the launcher adds them: benchmarks measure what a user runs.
   */
  public static List<String> serviceJvmFlags() {
    List<String> flags = new ArrayList<>(List.of("-Xmx200m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    String extra = System.getenv("CRM_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      flags.addAll(List.of(extra.trim().split("\\s+")));
    }
    return flags;
  }

  /**
   * The gateway's flags as {@code ./crm up} gives them: {@link #serviceJvmFlags} with C2 in place of C1
   * (launcher {@code PlatformConfig.GATEWAY_JIT}).
   */
  public static List<String> gatewayJvmFlags() {
    List<String> flags = serviceJvmFlags();
    flags.set(flags.indexOf("-XX:TieredStopAtLevel=1"), "-XX:TieredStopAtLevel=4");
    return flags;
  }

  /** A service jar started for a benchmark: its process and base URL, ready. */
  public record Service(Process process, String url) {
  }

  /** Creates the benchmark's database if it does not exist yet (the service migrates it). */
  public static void ensureDatabase(String pg, String user, String password, String db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pg + "/postgres", user, password);
         Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + db);
        say("created database " + db);
      }
    }
  }

  /**
   * Starts {@code module}'s built jar on a free port against {@code db} on {@code pg} (options
   * {@code pg}, {@code user}, {@code password}) with the test-only public key, stops it when the
   * benchmark exits, and waits until it is ready.
   */
  public static Service startService(Path root, String module, String db, Map<String, String> opt,
      List<String> jvmFlags) throws Exception {
    return startService(root, module, db, opt, jvmFlags, Map.of());
  }

  /** The same, with more environment for the service ({@code CRM_CUSTOMER_URL}, keys, ...). */
  public static Service startService(Path root, String module, String db, Map<String, String> opt,
      List<String> jvmFlags, Map<String, String> env) throws Exception {
    Path jar = root.resolve(module + "/target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build the service first: ./mvnw -q package -pl " + module + " -am -DskipTests");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String[] hostPort = opt.get("pg").split(":");
    File log = File.createTempFile(module + "-bench", ".log");
    List<String> command = new ArrayList<>(List.of(javaBin()));
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
    pb.environment().putAll(Map.of("CRM_HTTP_PORT", String.valueOf(port), "CRM_DB_NAME", db,
        "CRM_DB_HOST", hostPort[0], "CRM_DB_PORT", hostPort[1], "CRM_DB_USER", opt.get("user"),
        "CRM_DB_PASSWORD", opt.get("password"),
        "CRM_JWT_PUBLIC_KEY_LOCATION",
        root.resolve("testing/src/main/resources/crm-test-keys/publicKey.pem").toString()));
    pb.environment().put("MALLOC_ARENA_MAX", "2");
    pb.environment().putAll(env);
    say("starting " + jar + " " + String.join(" ", jvmFlags) + " on port " + port + " (log: " + log + ")");
    Process service = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(service::destroy));
    String url = "http://127.0.0.1:" + port;
    waitReady(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), url, service);
    return new Service(service, url);
  }

  /**
   * Seeds {@code profiles} audience profiles of {@code tenant} in campaign-service's read model with
   * one generate_series INSERT (call {@code setseed} first for a deterministic set): uneven RFM
   * classes, lifecycle stages and cities, ~5% tagged vip, a long-tailed predicted CLV, last orders
   * over two years. {@code complainerBelow} (e.g. {@code 0.30}) sets the share tagged complainer
   * above the 25% tagged repeat; {@code consentColumns} is the SQL of consent_sms, consent_email,
   * consent_app over the uniform {@code r6}.
   */
  public static void seedAudience(Statement s, String tenant, int profiles, String complainerBelow,
      String consentColumns) throws SQLException {
    s.execute("""
          INSERT INTO audience_profile (tenant_id, customer_id, external_id, name, gender, birthday, province, city,
                 platform, age_band, created_at, tags, consent_sms, consent_email, consent_app, points_balance, tier,
                 rfm_segment, rfm11, lifecycle_stage, p_alive, predicted_clv_365d, frequency, monetary, recency_days,
                 last_order_at, updated_at)
          SELECT '%1$s', g, 'tb-' || g, 'Customer ' || g,
                 (ARRAY['female', 'female', 'male', 'unknown'])[1 + (r1 * 4)::int %% 4],
                 date '1960-01-01' + (r2 * 16000)::int,
                 (ARRAY['上海', '浙江', '北京', '广东', '广东', '四川', '江苏', '湖北'])[k],
                 (ARRAY['上海', '杭州', '北京', '广州', '深圳', '成都', '南京', '武汉'])[k],
                 (ARRAY['taobao', 'taobao', 'tmall', 'jd', 'own_site'])[1 + (r3 * 5)::int %% 5],
                 (ARRAY['18-24', '25-34', '25-34', '35-44', '45-54', '55+'])[1 + (r2 * 6)::int %% 6],
                 now() - make_interval(days => (r4 * 1500)::int),
                 CASE WHEN r5 < 0.05 THEN ARRAY['vip', 'repeat'] WHEN r5 < 0.25 THEN ARRAY['repeat']
                      WHEN r5 < %3$s THEN ARRAY['complainer'] ELSE '{}' END,
                 %4$s,
                 (r7 * 5000)::bigint,
                 CASE WHEN r7 > 0.95 THEN 'gold' WHEN r7 > 0.8 THEN 'silver' ELSE 'bronze' END,
                 (ARRAY['important_value', 'important_development', 'important_retention', 'important_winback',
                        'general_value', 'general_development', 'general_retention', 'general_winback',
                        'general_winback', 'general_development'])[1 + (r8 * 10)::int %% 10],
                 (ARRAY['champions', 'loyal', 'potential_loyalist', 'new', 'promising', 'need_attention',
                        'about_to_sleep', 'at_risk', 'cant_lose', 'hibernating', 'lost'])[1 + (r8 * 11)::int %% 11],
                 (ARRAY['new', 'active', 'active', 'at_risk', 'lapsed', 'lost'])[1 + (r9 * 6)::int %% 6],
                 round(r9::numeric, 4),
                 round(exp(r10 * 7)::numeric, 2),
                 (r10 * r10 * 20)::int,
                 round((20 + exp(r3 * 6))::numeric, 2),
                 (r4 * 730)::int,
                 now() - make_interval(days => (r4 * 730)::int),
                 now()
            FROM (SELECT g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6,
                         random() r7, random() r8, random() r9, random() r10,
                         1 + (random() * 8)::int %% 8 AS k
                    FROM generate_series(1, %2$d) g) x""".formatted(tenant, profiles, complainerBelow, consentColumns));
  }
}
