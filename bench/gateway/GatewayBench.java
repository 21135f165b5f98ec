import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static bench.BenchSupport.*;

/**
 * GET /api/v1/customers/{id}: straight to customer-service (with an internal token) against the same
 * call through the gateway (with an API key), one load generator (JDK HttpClient: async for the open model, a thread per
 * connection for the closed loop), one run. Needs only the JDK and
 * the PostgreSQL JDBC driver (to create the databases); see README.md.
 *
 * <pre>
 * bench/gateway/run.sh [--seconds 20] [rate=1000] [concurrency=32] [warmup=10] [customers=100]
 *      [pg=127.0.0.1:5432] [user=postgres] [password=postgres]
 * </pre>
 *
 * Two models, each run direct then through the gateway: an open model (requests sent at a fixed
 * rate whatever the answers do; latency counted from when a request was due, so a stall is not
 * hidden) and a closed loop ({@code concurrency} threads, each sending its next request when
 * the last answered) for the most the pair can do. Goals: through the gateway, closed-loop
 * throughput ≥ 0.7 × direct and p99 ≤ 20 ms at 1,000 req/s.
 */
public class GatewayBench {

  static final String TENANT = "bench";
  static final String PLATFORM_KEY = "crm_bench-platform-admin-key-not-for-production";

  record Result(String label, long sent, long ok, long failed, double seconds, List<Long> micros) {
    double throughput() {
      return ok / seconds;
    }

    long p(int pct) {
      if (micros.isEmpty()) {
        return 0;
      }
      long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
      int rank = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(rank, sorted.length - 1))];
    }

    String line() {
      return String.format("  %-32s %8.0f req/s  ok %7d  failed %4d  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  max %7.2f ms",
          label, throughput(), ok, failed, p(50) / 1000.0, p(95) / 1000.0, p(99) / 1000.0, p(100) / 1000.0);
    }
  }

  /** One target: a base URL and the Authorization header to send. */
  record Target(String name, String url, String authorization) {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>(Map.of("seconds", "20", "rate", "1000", "concurrency", "32",
        "warmup", "10", "customers", "100", "pg", "127.0.0.1:5432", "user", "postgres", "password", "postgres"));
    for (int i = 0; i < args.length; i++) { // key=value, --key=value or --key value
      String arg = args[i].replaceFirst("^--", "");
      if (arg.contains("=")) {
        String[] kv = arg.split("=", 2);
        opt.put(kv[0], kv[1]);
      } else {
        opt.put(arg, args[++i]);
      }
    }
    int seconds = Integer.parseInt(opt.get("seconds"));
    int rate = Integer.parseInt(opt.get("rate"));
    int concurrency = Integer.parseInt(opt.get("concurrency"));
    int warmup = Math.min(Integer.parseInt(opt.get("warmup")), seconds);
    int customers = Integer.parseInt(opt.get("customers"));
    Path root = findRoot();
    Path privateKey = root.resolve("testing/src/main/resources/crm-test-keys/privateKey.pem");

    ensureDatabase(opt.get("pg"), opt.get("user"), opt.get("password"), "crm_bench_customer");
    ensureDatabase(opt.get("pg"), opt.get("user"), opt.get("password"), "crm_bench_gateway");
    Service customer = startService(root, "customer-service", "crm_bench_customer", opt, serviceJvmFlags());
    Service gateway = startService(root, "gateway", "crm_bench_gateway", opt, gatewayJvmFlags(), Map.of(
        "CRM_CUSTOMER_URL", customer.url(),
        "CRM_JWT_PRIVATE_KEY_LOCATION", privateKey.toString(),
        "CRM_BOOTSTRAP_ADMIN_KEY", PLATFORM_KEY,
        "QUARKUS_LOG_CATEGORY__COM_SHOPCRM_GATEWAY_ROUTING__LEVEL", opt.getOrDefault("access-log", "INFO")));

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String platform = "Bearer " + PLATFORM_KEY;
    call(http, "POST", gateway.url() + "/api/v1/admin/tenants", platform, "{\"id\":\"" + TENANT + "\",\"name\":\"Bench shop\"}");
    // limits far above the load: the limiter still runs on every request, it just never refuses
    call(http, "PUT", gateway.url() + "/api/v1/admin/tenants/" + TENANT + "/rate-limits", platform,
        "{\"per_second\":1000000,\"key_per_second\":1000000}");
    String issued = call(http, "POST", gateway.url() + "/api/v1/admin/api-keys", platform,
        "{\"tenant_id\":\"" + TENANT + "\",\"roles\":[\"marketer\"],\"name\":\"gateway bench\"}");
    String apiKey = field(issued, "key");

    Target direct = new Target("direct", customer.url(), "Bearer " + token(privateKey, TENANT, "marketer"));
    Target viaGateway = new Target("gateway", gateway.url(), "Bearer " + apiKey);
    List<Long> ids = new ArrayList<>();
    String run = Long.toString(System.currentTimeMillis(), 36);
    for (int i = 0; i < customers; i++) {
      String created = call(http, "POST", gateway.url() + "/api/v1/customers", viaGateway.authorization(),
          "{\"name\":\"Bench buyer " + i + "\",\"external_id\":\"gw-bench-" + run + "-" + i + "\"}");
      ids.add(Long.parseLong(field(created, "id")));
    }
    say("customers: " + ids.size() + " (ids " + ids.get(0) + ".." + ids.get(ids.size() - 1) + ")");

    // warm both JITs on the same path first
    for (Target t : List.of(direct, viaGateway)) {
      closed(t, ids, concurrency, warmup, "warm-up " + t.name());
    }
    List<Result> results = new ArrayList<>();
    results.add(open(direct, ids, rate, seconds, "open " + rate + "/s direct"));
    results.add(open(viaGateway, ids, rate, seconds, "open " + rate + "/s gateway"));
    results.add(closed(direct, ids, concurrency, seconds, "closed c=" + concurrency + " direct"));
    results.add(closed(viaGateway, ids, concurrency, seconds, "closed c=" + concurrency + " gateway"));

    say("");
    say("GET /api/v1/customers/{id}, " + seconds + " s per run, latency from when each request was due:");
    results.forEach(r -> say(r.line()));
    double ratio = results.get(3).throughput() / results.get(2).throughput();
    double p99 = results.get(1).p(99) / 1000.0;
    // a p99 of the answered requests says nothing when some were not answered (with none, it reads 0 ms)
    boolean p99Met = p99 <= 20 && results.get(1).ok() > 0 && results.get(1).failed() == 0;
    boolean errors = results.stream().anyMatch(r -> r.failed() > 0);
    say(String.format("gateway / direct closed-loop throughput: %.2f (goal >= 0.70) %s", ratio, ratio >= 0.7 ? "MET" : "NOT MET"));
    say(String.format("gateway p99 at %d req/s: %.2f ms (goal <= 20 ms, every request answered) %s", rate, p99,
        p99Met ? "MET" : "NOT MET"));
    if (errors) {
      say("some requests failed: see the failed column");
    }
    String scale = customers + " customers, " + seconds + " s per run";
    result("gateway.throughput", "`GET /customers/{id}` closed loop (" + concurrency + " connections), through the"
        + " gateway vs direct", scale, results.get(3).throughput(), "req/s", results.get(2).throughput(),
        "≥ 0.7× direct", ratio >= 0.7);
    result("gateway.p99", "`GET /customers/{id}` through the gateway at " + rate + " req/s (p99)", scale, p99, "ms",
        results.get(0).p(99) / 1000.0, "≤ 20 ms", p99Met);
    long failed = results.stream().mapToLong(Result::failed).sum();
    long failedDirect = results.get(0).failed() + results.get(2).failed();
    result("gateway.failed", "`GET /customers/{id}` requests that failed or timed out through the gateway (open + closed"
        + " runs; percentiles above count the answered ones)", scale, failed - failedDirect, "requests",
        (double) failedDirect, "0", failed - failedDirect == 0);
    customer.process().destroy();
    gateway.process().destroy();
  }

  /** Requests sent at a fixed rate whatever the answers do; latency counted from when each was due. */
  static Result open(Target t, List<Long> ids, int rate, int seconds, String label) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // as browsers and wrk: no h2c upgrade
        .connectTimeout(Duration.ofSeconds(5)).build(); // async: its own threads
    long total = (long) rate * seconds;
    long intervalNanos = 1_000_000_000L / rate;
    List<Long> micros = Collections.synchronizedList(new ArrayList<>((int) total));
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<CompletableFuture<?>> inFlight = new ArrayList<>((int) total);
    long start = System.nanoTime();
    for (long i = 0; i < total; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      HttpRequest request = get(t, ids.get((int) (i % ids.size())));
      inFlight.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
        if (e == null && r.statusCode() == 200) {
          ok.incrementAndGet();
          micros.add((System.nanoTime() - due) / 1000);
        } else {
          failed.incrementAndGet();
        }
      }));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    double elapsed = (System.nanoTime() - start) / 1e9;
    Result r = new Result(label, total, ok.get(), failed.get(), elapsed, micros);
    say(r.line());
    return r;
  }

  /** {@code concurrency} threads, each sending its next request when the last answered. */
  static Result closed(Target t, List<Long> ids, int concurrency, int seconds, String label) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    ExecutorService threads = Executors.newFixedThreadPool(concurrency); // Java 17: platform threads
    try {
      for (int w = 0; w < concurrency; w++) {
        int worker = w;
        threads.submit(() -> {
          int i = worker;
          while (System.nanoTime() < end) {
            long sent = System.nanoTime();
            try {
              HttpResponse<Void> r = client.send(get(t, ids.get(i++ % ids.size())), HttpResponse.BodyHandlers.discarding());
              if (r.statusCode() == 200) {
                ok.incrementAndGet();
                micros.add((System.nanoTime() - sent) / 1000);
              } else {
                failed.incrementAndGet();
              }
            } catch (Exception e) {
              failed.incrementAndGet();
            }
          }
          return null;
        });
      }
    } finally {
      threads.shutdown();
      threads.awaitTermination(seconds + 30L, java.util.concurrent.TimeUnit.SECONDS);
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    Result r = new Result(label, ok.get() + failed.get(), ok.get(), failed.get(), elapsed, micros);
    say(r.line());
    return r;
  }

  static HttpRequest get(Target t, long id) {
    return HttpRequest.newBuilder(URI.create(t.url() + "/api/v1/customers/" + id))
        .header("Authorization", t.authorization()).timeout(Duration.ofSeconds(10)).GET().build();
  }

  static String call(HttpClient http, String method, String url, String authorization, String json) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", authorization).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300 && r.statusCode() != 409) {
      throw new IllegalStateException(method + " " + url + " → " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]+)").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return m.group(1);
  }
}
