import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static bench.BenchSupport.*;

/**
 * Order events into campaign-service ({@code POST /api/v1/campaigns/order-events}) the two ways
 * order-service's dispatcher sends them: one event per call ({@code concurrency} calls in parallel,
 * as it does for a subscriber without {@code batch-size}) and {@code {"events": [...]}} batches of
 * {@code batch} one call after another (as it does with {@code batch-size}). Events look like an
 * import's: {@code order.created} of an already completed order, one order each, 1% carrying a coupon
 * code. The service jar is the module's build, or {@code app=DIR} (a quarkus-app directory, e.g. an
 * older build to compare with).
 *
 * <pre>
 * bench/campaign-events/run.sh [events=5000] [batch=200] [concurrency=8] [modes=single,batch] [app=DIR]
 *      [db=crm_bench_campaign_events] [pg=127.0.0.1:5432] [user=postgres] [password=postgres]
 * </pre>
 */
public class CampaignEventsBench {

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>(Map.of("events", "5000", "batch", "200", "concurrency", "8",
        "modes", "single,batch", "db", "crm_bench_campaign_events", "pg", "127.0.0.1:5432", "user", "postgres",
        "password", "postgres"));
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      opt.put(kv[0], kv[1]);
    }
    int events = Integer.parseInt(opt.get("events"));
    int batch = Integer.parseInt(opt.get("batch"));
    int concurrency = Integer.parseInt(opt.get("concurrency"));
    Path root = findRoot();
    ensureDatabase(opt.get("pg"), opt.get("user"), opt.get("password"), opt.get("db"));
    Path privateKey = root.resolve("testing/src/main/resources/crm-test-keys/privateKey.pem");
    Service campaign;
    if (opt.containsKey("app")) { // startService takes a module's build; an older build is copied in place of none
      campaign = startApp(root, Path.of(opt.get("app")), opt);
    } else {
      campaign = startService(root, "campaign-service", opt.get("db"), opt, serviceJvmFlags());
    }
    String tenant = "bench-events-" + Long.toString(System.currentTimeMillis(), 36);
    String authorization = "Bearer " + token(privateKey, tenant, "integration");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    String url = campaign.url() + "/api/v1/campaigns/order-events";

    // warm-up: a few hundred of each kind the run uses
    if (opt.get("modes").contains("batch")) { // an older build takes one event per call only
      post(http, url, authorization, batchBody(tenant, "warm", 0, 100));
    }
    for (int i = 0; i < 100; i++) {
      post(http, url, authorization, event(tenant, "warm1", i));
    }
    say(String.format(Locale.ROOT, "campaign-service %s, %d events per mode, load %s", opt.getOrDefault("app",
        "(module build)"), events, loadAverage()));
    for (String mode : opt.get("modes").split(",")) {
      long start = System.nanoTime();
      if (mode.equals("single")) {
        AtomicInteger next = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
          done.add(threads.submit(() -> {
            for (int i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
              post(http, url, authorization, event(tenant, "single", i));
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
        threads.shutdown();
      } else {
        for (int i = 0; i < events; i += batch) {
          post(http, url, authorization, batchBody(tenant, "batch", i, Math.min(batch, events - i)));
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double rate = events / seconds;
      say(String.format(Locale.ROOT, "  %-6s %s: %d events in %.2f s = %.0f events/s", mode,
          mode.equals("single") ? "one per call, " + concurrency + " in parallel" : batch + " per call, in sequence",
          events, seconds, rate));
      result("campaign-events." + mode, "order events into campaign-service, " + (mode.equals("single")
          ? "one per call (" + concurrency + " in parallel)" : batch + " per call"), events + " events", rate,
          "events/s", null, "(reported)", null);
    }
    say("load after: " + loadAverage());
    campaign.process().destroy();
  }

  static Service startApp(Path root, Path app, Map<String, String> opt) throws Exception {
    // the same start as BenchSupport.startService, from another quarkus-app directory
    Path module = Path.of(System.getProperty("java.io.tmpdir"), "campaign-events-app-" + UUID.randomUUID());
    java.nio.file.Files.createDirectories(module.resolve("campaign-service/target"));
    java.nio.file.Files.createSymbolicLink(module.resolve("campaign-service/target/quarkus-app"), app.toAbsolutePath());
    java.nio.file.Files.createSymbolicLink(module.resolve("testing"), root.resolve("testing"));
    return startService(module, "campaign-service", opt.get("db"), opt, serviceJvmFlags());
  }

  static String event(String tenant, String run, int i) {
    return "{\"event_id\":\"" + run + "-" + tenant + "-" + i + "\",\"type\":\"order.created\",\"customer_id\":"
        + (1 + i % 10000) + ",\"order_no\":\"" + run + "-" + i + "\",\"occurred_at\":\"2026-12-01T10:00:00+08:00\","
        + "\"payload\":{\"status\":\"completed\",\"total_amount\":" + (50 + i % 300) + ",\"coupon_code\":"
        + (i % 100 == 0 ? "\"C" + i + "\"" : "null") + ",\"items\":[]}}";
  }

  static String batchBody(String tenant, String run, int from, int n) {
    StringBuilder body = new StringBuilder("{\"events\":[");
    for (int i = from; i < from + n; i++) {
      body.append(i == from ? "" : ",").append(event(tenant, run, i));
    }
    return body.append("]}").toString();
  }

  static void post(HttpClient http, String url, String authorization, String json) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization)
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("order events → " + r.statusCode() + " " + r.body());
    }
  }

  static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }
}
