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
}
