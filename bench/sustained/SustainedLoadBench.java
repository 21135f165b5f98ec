import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static bench.BenchSupport.*;

/**
 * Sustained load through the gateway with a shop's mix of reads and writes: first the most the
 * platform does (closed loop, {@code concurrency} connections, each sending its next request when
 * the last answered), then {@code seconds} of an open model at {@code fraction} of that rate
 * (requests sent on schedule whatever the answers do; latency counted from when a request was due,
 * so a stall is not hidden). Afterwards every acknowledged write (201/200) is read back through the
 * gateway: created customers, the attribute each update set, created orders. Needs only the JDK.
 *
 * <pre>
 * bench/sustained/run.sh [--seconds 60] [--capacity-seconds 20] [--warmup 10] [--fraction 0.5]
 *      [--concurrency 16] [--customers 200]            (starts its own platform)
 * java SustainedLoadBench gateway=URL platform-key=KEY [the same options]   (a running platform)
 * </pre>
 *
 * The mix (per 100 requests): 30 {@code GET /customers/{id}}, 10 {@code GET /customers?q=}, 10
 * {@code POST /customers}, 10 {@code PATCH /customers/{id}}, 20 {@code POST /orders}, 10
 * {@code GET /segments/{id}/count}, 10 {@code GET /analytics/sales}. Exit status 1 when any request
 * failed or an acknowledged write is not found: the goal is 0 of both.
 */
public class SustainedLoadBench {

  /** One kind of request in the mix. */
  enum Op {
    READ("GET /customers/{id}", 30), SEARCH("GET /customers?q=", 10), CREATE("POST /customers", 10),
    UPDATE("PATCH /customers/{id}", 10), ORDER("POST /orders", 20), SEGMENT_COUNT("GET /segments/{id}/count", 10),
    SALES("GET /analytics/sales", 10);

    final String label;
    final int weight;

    Op(String label, int weight) {
      this.label = label;
      this.weight = weight;
    }
  }

  /** Latencies (µs) and failures per operation. */
  static final class Stats {
    final Map<Op, List<Long>> micros = new ConcurrentHashMap<>();
    final Map<Op, AtomicLong> failed = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
    volatile double seconds;

    Stats() {
      for (Op op : Op.values()) {
        micros.put(op, Collections.synchronizedList(new ArrayList<>()));
        failed.put(op, new AtomicLong());
      }
    }

    void ok(Op op, long us) {
      micros.get(op).add(us);
    }

    void fail(Op op, String why) {
      failed.get(op).incrementAndGet();
      if (firstErrors.size() < 10) {
        firstErrors.add(op.label + ": " + why);
      }
    }

    List<Long> all() {
      List<Long> out = new ArrayList<>();
      micros.values().forEach(out::addAll);
      return out;
    }

    long ok() {
      return micros.values().stream().mapToLong(List::size).sum();
    }

    long failures() {
      return failed.values().stream().mapToLong(AtomicLong::get).sum();
    }
  }

  /** What the run wrote and was told was written; read back at the end. */
  static final class Written {
    final Map<Long, String> customers = new ConcurrentHashMap<>(); // id -> external_id
    final Map<Long, List<String>> updates = new ConcurrentHashMap<>(); // customer id -> attribute keys set
    final Map<Long, String> orders = new ConcurrentHashMap<>(); // id -> order_no
  }

  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // as browsers: no h2c upgrade
      .connectTimeout(Duration.ofSeconds(5)).build();
  final String gateway;
  final String authorization;
  final String run = Long.toString(System.currentTimeMillis(), 36);
  final List<Long> seeded = new ArrayList<>();
  final List<String> seededExternal = new ArrayList<>();
  final List<Long> readable = Collections.synchronizedList(new ArrayList<>());
  final AtomicLong sequence = new AtomicLong();
  final AtomicLong updateTurn = new AtomicLong();
  final Written written = new Written();
  final Duration timeout;
  long segment;

  SustainedLoadBench(String gateway, String authorization, Duration timeout) {
    this.gateway = gateway;
    this.authorization = authorization;
    this.timeout = timeout;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new LinkedHashMap<>(Map.of("seconds", "60", "capacity-seconds", "20", "warmup", "10",
        "fraction", "0.5", "concurrency", "16", "customers", "200", "timeout", "10"));
    for (int i = 0; i < args.length; i++) { // key=value, --key=value or --key value
      String arg = args[i].replaceFirst("^--", "");
      if (arg.contains("=")) {
        String[] kv = arg.split("=", 2);
        opt.put(kv[0], kv[1]);
      } else {
        opt.put(arg, args[++i]);
      }
    }
    if (!opt.containsKey("gateway") || !opt.containsKey("platform-key")) {
      System.err.println("usage: SustainedLoadBench gateway=URL platform-key=KEY [seconds=60] [capacity-seconds=20]"
          + " [warmup=10] [fraction=0.5] [concurrency=16] [customers=200] [timeout=10]");
      System.exit(2);
    }
    int seconds = Integer.parseInt(opt.get("seconds"));
    int capacitySeconds = Integer.parseInt(opt.get("capacity-seconds"));
    int warmup = Integer.parseInt(opt.get("warmup"));
    double fraction = Double.parseDouble(opt.get("fraction"));
    int concurrency = Integer.parseInt(opt.get("concurrency"));
    int customers = Integer.parseInt(opt.get("customers"));
    String gateway = opt.get("gateway").replaceFirst("/$", "");

    String apiKey = shop(gateway, "Bearer " + opt.get("platform-key"));
    SustainedLoadBench bench = new SustainedLoadBench(gateway, "Bearer " + apiKey,
        Duration.ofSeconds(Integer.parseInt(opt.get("timeout"))));
    bench.seed(customers);

    if (warmup > 0) {
      bench.closed(concurrency, warmup, "warm-up");
    }
    Stats capacity = bench.closed(concurrency, capacitySeconds, "capacity");
    double measured = capacity.ok() / capacity.seconds;
    int rate = Math.max(1, (int) Math.round(measured * fraction));
    say(String.format(Locale.ROOT, "capacity: %.0f req/s (closed loop, %d connections, %d s); open model at %.0f%%:"
        + " %d req/s for %d s", measured, concurrency, capacitySeconds, fraction * 100, rate, seconds));
    Stats sustained = bench.open(rate, seconds);

    say("");
    say(String.format(Locale.ROOT, "Sustained %d s at %d req/s through the gateway (latency from when each request"
        + " was due, ms):", seconds, rate));
    say(String.format(Locale.ROOT, "  %-26s %7s %7s %8s %8s %8s %8s", "operation", "ok", "failed", "p50", "p95",
        "p99", "max"));
    for (Op op : Op.values()) {
      say(row(op.label, sustained.micros.get(op), sustained.failed.get(op).get()));
    }
    List<Long> all = sustained.all();
    say(row("all", all, sustained.failures()));
    sustained.firstErrors.forEach(e -> say("  error: " + e));
    long failedCapacity = capacity.failures();
    if (failedCapacity > 0) {
      say("  (capacity run: " + failedCapacity + " failed)");
      capacity.firstErrors.forEach(e -> say("  capacity error: " + e));
    }

    long[] lost = bench.verify();
    long acknowledged = bench.written.customers.size() + bench.written.orders.size()
        + bench.written.updates.values().stream().mapToLong(List::size).sum();
    long missing = lost[0] + lost[1] + lost[2];
    say(String.format(Locale.ROOT, "acknowledged writes read back: %d (customers %d, updates %d, orders %d); not"
        + " found: %d (customers %d, updates %d, orders %d)", acknowledged, bench.written.customers.size(),
        bench.written.updates.values().stream().mapToLong(List::size).sum(), bench.written.orders.size(), missing,
        lost[0], lost[1], lost[2]));
    say("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load " + loadAverage());

    String scale = seconds + " s at " + rate + " req/s";
    result("sustained.capacity", "mixed reads/writes through the gateway, closed loop (" + concurrency
        + " connections): capacity", capacitySeconds + " s", measured, "req/s", null, "(reported)", null);
    result("sustained.p50", "sustained load at " + Math.round(fraction * 100) + "% of capacity, mixed (p50)", scale,
        percentile(all, 50) / 1000.0, "ms", null, "(reported)", null);
    result("sustained.p99", "sustained load at " + Math.round(fraction * 100) + "% of capacity, mixed (p99)", scale,
        percentile(all, 99) / 1000.0, "ms", null, "(reported)", null);
    result("sustained.errors", "sustained load: requests failed or timed out", scale, sustained.failures(),
        "requests", null, "0", sustained.failures() == 0);
    result("sustained.lost", "sustained load: acknowledged writes not found afterwards (of " + acknowledged + ")",
        scale, missing, "writes", null, "0", missing == 0);
    System.exit(sustained.failures() == 0 && failedCapacity == 0 && missing == 0 ? 0 : 1);
  }

  static String row(String label, List<Long> micros, long failed) {
    if (micros.isEmpty()) {
      return String.format(Locale.ROOT, "  %-26s %7d %7d", label, 0, failed);
    }
    return String.format(Locale.ROOT, "  %-26s %7d %7d %8.1f %8.1f %8.1f %8.1f", label, micros.size(), failed,
        percentile(micros, 50) / 1000.0, percentile(micros, 95) / 1000.0, percentile(micros, 99) / 1000.0,
        percentile(micros, 100) / 1000.0);
  }

  static String loadAverage() {
    try {
      String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (Exception e) {
      return "?";
    }
  }

  /** A shop of its own with rate limits far above the load (the limiter still runs) and an admin key. */
  static String shop(String gateway, String platform) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String tenant = "sustained-" + Long.toString(System.currentTimeMillis(), 36);
    call(http, "POST", gateway + "/api/v1/admin/tenants", platform, "{\"id\":\"" + tenant
        + "\",\"name\":\"Sustained load\"}", 201);
    call(http, "PUT", gateway + "/api/v1/admin/tenants/" + tenant + "/rate-limits", platform,
        "{\"per_second\":1000000,\"key_per_second\":1000000}", 200);
    String issued = call(http, "POST", gateway + "/api/v1/admin/api-keys", platform, "{\"tenant_id\":\"" + tenant
        + "\",\"roles\":[\"admin\"],\"name\":\"sustained load\"}", 201);
    say("shop " + tenant);
    return field(issued, "key");
  }

  /** The customers reads, updates and orders use, and a segment to count. */
  void seed(int customers) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (int i = 0; i < customers; i++) {
      String external = "sl-" + run + "-s" + i;
      String created = call(http, "POST", gateway + "/api/v1/customers", authorization, "{\"external_id\":\"" + external
          + "\",\"name\":\"Sustained " + i + "\",\"province\":\"浙江\",\"city\":\"杭州\""
          + (i % 20 == 0 ? ",\"tags\":[\"vip\"]" : "") + "}", 201);
      long id = Long.parseLong(field(created, "id"));
      seeded.add(id);
      seededExternal.add(external);
      readable.add(id);
    }
    String segmentBody = call(http, "POST", gateway + "/api/v1/segments", authorization,
        "{\"name\":\"sustained vip " + run + "\",\"rule\":{\"any\":[{\"field\":\"tags\",\"op\":\"contains\","
            + "\"value\":\"vip\"},{\"field\":\"city\",\"op\":\"eq\",\"value\":\"杭州\"}]}}", 201);
    segment = Long.parseLong(field(segmentBody, "id"));
    say("seeded " + customers + " customers and segment " + segment);
  }

  /** The i-th request of the mix, and what to do with its answer. */
  record Call(Op op, HttpRequest request, int expected, java.util.function.Consumer<String> onOk) {
  }

  Call next(Random random) {
    int pick = random.nextInt(100);
    Op op = Op.READ;
    for (Op o : Op.values()) {
      if (pick < o.weight) {
        op = o;
        break;
      }
      pick -= o.weight;
    }
    long n = sequence.incrementAndGet();
    switch (op) {
      case READ: {
        long id = readable.get(random.nextInt(readable.size()));
        return new Call(op, get("/api/v1/customers/" + id), 200, body -> { });
      }
      case SEARCH:
        return new Call(op, get("/api/v1/customers?limit=20&q=sl-" + run + "-s" + random.nextInt(10)), 200,
            body -> { });
      case CREATE: {
        String external = "sl-" + run + "-c" + n;
        return new Call(op, send("POST", "/api/v1/customers", "{\"external_id\":\"" + external
            + "\",\"name\":\"Created " + n + "\",\"phone\":\"1" + (3 + n % 7) + String.format("%09d", n) + "\"}"),
            201, body -> {
              long id = Long.parseLong(field(body, "id"));
              written.customers.put(id, external);
              readable.add(id);
            });
      }
      case UPDATE: {
        // round robin over the seeded customers: two updates of one customer are seconds apart
        long id = seeded.get((int) (updateTurn.getAndIncrement() % seeded.size()));
        String key = "u" + n;
        return new Call(op, send("PATCH", "/api/v1/customers/" + id, "{\"attributes\":{\"" + key + "\":" + n + "}}"),
            200, body -> written.updates.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>()))
                .add(key));
      }
      case ORDER: {
        String orderNo = "SL-" + run + "-" + n;
        String buyer = seededExternal.get(random.nextInt(seededExternal.size()));
        int amount = 20 + random.nextInt(400);
        return new Call(op, send("POST", "/api/v1/orders", "{\"order_no\":\"" + orderNo
            + "\",\"customer_external_id\":\"" + buyer + "\",\"ordered_at\":\""
            + OffsetDateTime.now(ZoneOffset.ofHours(8)).withNano(0) + "\",\"total_amount\":" + amount
            + ",\"status\":\"completed\",\"items\":[{\"sku\":\"SKU-" + (n % 50) + "\",\"quantity\":1,\"unit_price\":"
            + amount + "}]}"), 201, body -> written.orders.put(Long.parseLong(field(body, "id")), orderNo));
      }
      case SEGMENT_COUNT:
        return new Call(op, get("/api/v1/segments/" + segment + "/count"), 200, body -> { });
      default:
        return new Call(op, get("/api/v1/analytics/sales?granularity=" + (n % 2 == 0 ? "day" : "month")), 200,
            body -> { });
    }
  }

  HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(gateway + path)).header("Authorization", authorization)
        .timeout(timeout).GET().build();
  }

  HttpRequest send(String method, String path, String json) {
    return HttpRequest.newBuilder(URI.create(gateway + path)).header("Authorization", authorization)
        .header("Content-Type", "application/json").timeout(timeout)
        .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
  }

  void answered(Call call, HttpResponse<String> r, Throwable e, long fromNanos, Stats stats) {
    if (e != null) {
      stats.fail(call.op(), e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
      return;
    }
    if (r.statusCode() != call.expected()) {
      String body = r.body() == null ? "" : r.body();
      stats.fail(call.op(), r.statusCode() + " " + body.substring(0, Math.min(200, body.length())));
      return;
    }
    try {
      call.onOk().accept(r.body());
      stats.ok(call.op(), (System.nanoTime() - fromNanos) / 1000);
    } catch (RuntimeException unexpected) {
      stats.fail(call.op(), "unreadable answer: " + unexpected.getMessage());
    }
  }

  /** {@code concurrency} threads, each sending its next request when the last answered. */
  Stats closed(int concurrency, int seconds, String label) throws Exception {
    Stats stats = new Stats();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    ExecutorService threads = Executors.newFixedThreadPool(concurrency);
    try {
      for (int w = 0; w < concurrency; w++) {
        Random random = new Random(w * 7919L + 1);
        threads.submit(() -> {
          while (System.nanoTime() < end) {
            Call call = next(random);
            long sent = System.nanoTime();
            HttpResponse<String> r = null;
            Throwable error = null;
            try {
              r = client.send(call.request(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              error = e;
            }
            answered(call, r, error, sent, stats);
          }
          return null;
        });
      }
    } finally {
      threads.shutdown();
      threads.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
    }
    stats.seconds = (System.nanoTime() - start) / 1e9;
    say(String.format(Locale.ROOT, "  %-10s closed loop, %d connections, %d s: %.0f req/s, %d failed, p50 %.1f ms,"
        + " p99 %.1f ms", label, concurrency, seconds, stats.ok() / stats.seconds, stats.failures(),
        percentile(stats.all(), 50) / 1000.0, percentile(stats.all(), 99) / 1000.0));
    return stats;
  }

  /** Requests sent at a fixed rate whatever the answers do; latency counted from when each was due. */
  Stats open(int rate, int seconds) {
    Stats stats = new Stats();
    Random random = new Random(42);
    long total = (long) rate * seconds;
    long intervalNanos = 1_000_000_000L / rate;
    List<CompletableFuture<?>> inFlight = new ArrayList<>((int) Math.min(total, Integer.MAX_VALUE));
    long start = System.nanoTime();
    for (long i = 0; i < total; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Call call = next(random);
      inFlight.add(client.sendAsync(call.request(), HttpResponse.BodyHandlers.ofString())
          .whenComplete((r, e) -> answered(call, r, e, due, stats)));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    stats.seconds = (System.nanoTime() - start) / 1e9;
    return stats;
  }

  /** Reads back every acknowledged write; returns the numbers not found: customers, updates, orders. */
  long[] verify() throws Exception {
    AtomicLong customers = new AtomicLong();
    AtomicLong updates = new AtomicLong();
    AtomicLong orders = new AtomicLong();
    AtomicInteger reported = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<?>> checks = new ArrayList<>();
    java.util.Set<Long> ids = new java.util.HashSet<>(written.customers.keySet());
    ids.addAll(written.updates.keySet());
    for (long id : ids) {
      checks.add(threads.submit(() -> {
        HttpResponse<String> r = client.send(get("/api/v1/customers/" + id), HttpResponse.BodyHandlers.ofString());
        String external = written.customers.get(id);
        if (external != null && (r.statusCode() != 200 || !r.body().contains("\"" + external + "\""))) {
          customers.incrementAndGet();
          report(reported, "customer " + id + " (" + external + "): " + r.statusCode());
        }
        for (String key : written.updates.getOrDefault(id, List.of())) {
          if (r.statusCode() != 200 || !r.body().contains("\"" + key + "\"")) {
            updates.incrementAndGet();
            report(reported, "customer " + id + " lacks attribute " + key + ": " + r.statusCode());
          }
        }
        return null;
      }));
    }
    written.orders.forEach((id, orderNo) -> checks.add(threads.submit(() -> {
      HttpResponse<String> r = client.send(get("/api/v1/orders/" + id), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200 || !r.body().contains("\"" + orderNo + "\"")) {
        orders.incrementAndGet();
        report(reported, "order " + id + " (" + orderNo + "): " + r.statusCode());
      }
      return null;
    })));
    for (java.util.concurrent.Future<?> check : checks) {
      check.get();
    }
    threads.shutdown();
    return new long[] {customers.get(), updates.get(), orders.get()};
  }

  static void report(AtomicInteger reported, String what) {
    if (reported.incrementAndGet() <= 10) {
      say("  not found: " + what);
    }
  }

  static String call(HttpClient http, String method, String url, String authorization, String json, int expected)
      throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", authorization).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
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
