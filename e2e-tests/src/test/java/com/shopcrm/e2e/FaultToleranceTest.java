package com.shopcrm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.launcher.ServiceProcess;
import com.shopcrm.launcher.ServiceSpec;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults, on a platform of its own over a PostgreSQL cluster of its own ({@link PrivatePostgres}), so
 * that killing services and restarting the database disturbs no other test:
 *
 * <ul>
 *   <li>scoring-service and campaign-service are killed (SIGKILL) in the middle of an import and
 *       started again: every order event still arrives — scoring-service's purchase facts and
 *       campaign-service's received events match the orders exactly, every coupon used in the
 *       import is redeemed once, and a scoring run scores every buyer;</li>
 *   <li>PostgreSQL restarts while orders are being written through the gateway: every service
 *       answers again within 10 s without being restarted, and every order that was acknowledged
 *       (201) is there afterwards.</li>
 * </ul>
 *
 * The import's size is {@code -Dcrm.faults.rows} (20,000 here; {@code bench/faults/run.sh} runs
 * 1,000,000). Skipped where no PostgreSQL server binaries are installed.
 */
class FaultToleranceTest {

  private static final String PREFIX = "crm_faults_";
  private static final int BUYERS = 100;

  private static PrivatePostgres postgres;
  private static E2ePlatform platform;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(PrivatePostgres.binaries().isPresent(),
        "no PostgreSQL server binaries under /usr/lib/postgresql: the fault tests need a cluster of their own");
    postgres = PrivatePostgres.start(PrivatePostgres.binaries().orElseThrow());
    Map<String, String> env = new HashMap<>(E2ePlatform.environment());
    env.put("CRM_ORDER_EVENTS_RETRY_MAX", "5s"); // a subscriber back from the dead is retried soon
    platform = E2ePlatform.start(postgres.target(), PREFIX,
        Path.of("target/faults-state").toAbsolutePath(), env, () -> { });
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void killedSubscribersCatchUpOnEveryOrderEventOfAnImport() {
    int rows = Integer.getInteger("crm.faults.rows", 20_000);
    E2ePlatform.TenantKey shop = platform.newTenant("faults");
    StringBuilder known = new StringBuilder(CSV_HEADER);
    for (int i = 0; i < BUYERS; i++) {
      known.append("PRE-").append(i).append(",buyer-").append(i).append(",2026-09-01 10:00:00,100,completed,\n");
    }
    awaitImport(shop, startImport(shop, known.toString()), BUYERS);

    // a coupon for each known buyer, from a launched campaign
    long everyone = platform.as(shop).body(Map.of("name", "everyone", "rule",
            Map.of("not", Map.of("field", "tags", "op", "contains", "value", "nobody"))))
        .post("/api/v1/segments").then().statusCode(201).extract().jsonPath().getLong("id");
    platform.await("the audience feed brought every buyer", () -> platform.as(shop).get("/api/v1/segments/{id}/count",
        everyone), c -> c.getLong("count") == BUYERS, 60_000);
    long campaign = platform.as(shop).body(Map.of("name", "coupons", "segment_id", everyone, "channels", List.of("sms"),
            "variants", List.of(Map.of("name", "a", "weight", 1, "message", Map.of("sms", "{name} {coupon}"))),
            "control_pct", 0, "attribution_window_days", 30,
            "offer", Map.of("type", "coupon", "amount", 5, "min_spend", 10)))
        .post("/api/v1/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
    platform.as(shop).post("/api/v1/campaigns/{id}/launch", campaign).then().statusCode(202);
    JsonPath sink = platform.await("a coupon message per buyer", () -> platform.as(shop).queryParam("limit", 1000)
        .get("/api/v1/campaigns/{id}/messages", campaign), m -> m.getList("items").size() == BUYERS, 60_000);
    Map<String, String> couponOf = new HashMap<>();
    for (Map<String, Object> m : sink.<Map<String, Object>>getList("items")) {
      String external = platform.as(shop).get("/api/v1/customers/{id}", m.get("customer_id")).then().statusCode(200)
          .extract().path("external_id");
      couponOf.put(external, ((String) m.get("body")).split(" ")[1]);
    }

    // the import: `rows` orders of rows / 5 buyers, with the 100 coupon orders spread through it
    StringBuilder csv = new StringBuilder(CSV_HEADER);
    int every = Math.max(1, rows / BUYERS);
    for (int i = 0; i < rows; i++) {
      csv.append("F-").append(i).append(",f-").append(i % Math.max(1, rows / 5)).append(",2026-0")
          .append(1 + i % 9).append("-1").append(i % 10).append(" 09:30:00,").append(20 + i % 180).append(",completed,\n");
      if (i % every == every - 1 && i / every < BUYERS) {
        int b = i / every;
        csv.append("CPN-").append(b).append(",buyer-").append(b).append(",").append(OffsetDateTime.now())
            .append(",100,completed,").append(couponOf.get("buyer-" + b)).append("\n");
      }
    }
    String job = startImport(shop, csv.toString());
    platform.await("a third of the import in", () -> platform.as(shop).get("/api/v1/orders/imports/{id}", job),
        j -> j.getLong("rows_imported") >= rows / 3, 600_000);
    kill(ServiceSpec.SCORING);
    kill(ServiceSpec.CAMPAIGN);
    sleep(2_000);
    long restarted = System.nanoTime();
    platform.platform().up(); // starts what is not running
    awaitImport(shop, job, rows + BUYERS);
    long imported = System.nanoTime();
    long campaignAtImport = count("campaign", "SELECT count(*) FROM campaign_order_event WHERE tenant_id = ?",
        shop.tenantId());

    long orders = BUYERS + rows + BUYERS;
    long[] complete = new long[2]; // when scoring-service, campaign-service had every event
    platform.await("every order event reached scoring-service and campaign-service", () -> {
      boolean scoringHasAll = count("scoring", "SELECT count(*) FROM purchase_fact WHERE tenant_id = ?",
          shop.tenantId()) == orders;
      boolean campaignHasAll = count("campaign", "SELECT count(*) FROM campaign_order_event WHERE tenant_id = ?",
          shop.tenantId()) == orders;
      complete[0] = complete[0] == 0 && scoringHasAll ? System.nanoTime() : complete[0];
      complete[1] = complete[1] == 0 && campaignHasAll ? System.nanoTime() : complete[1];
      return scoringHasAll && campaignHasAll;
    }, 300_000);
    double campaignCatchUp = (complete[1] - imported) / 1e9;
    System.out.printf("Order events after the restart: the import done %.1f s after it, campaign-service then at %d"
        + " of %d events; it had all %.1f s later (%.0f events/s), scoring-service %.1f s later%n",
        (imported - restarted) / 1e9, campaignAtImport, orders, campaignCatchUp,
        (orders - campaignAtImport) / Math.max(campaignCatchUp, 0.001), (complete[0] - imported) / 1e9);
    assertEquals(BUYERS, count("campaign", "SELECT count(*) FROM campaign_coupon WHERE tenant_id = ?"
        + " AND redeemed_at IS NOT NULL", shop.tenantId()), "every coupon of the import redeemed once");
    assertEquals(BUYERS, platform.as(shop).get("/api/v1/campaigns/{id}/report", campaign).then().statusCode(200)
        .extract().jsonPath().getInt("coupons.redeemed"));
    String run = platform.as(shop).body(Map.of()).post("/api/v1/scoring/runs").then().statusCode(202)
        .extract().jsonPath().getString("id");
    JsonPath done = platform.await("scoring run", () -> platform.as(shop).get("/api/v1/scoring/runs/{id}", run),
        r -> !r.getString("status").equals("running") && !r.getString("status").equals("queued"), 300_000);
    assertEquals("completed", done.getString("status"), done.prettify());
    assertEquals(BUYERS + Math.max(1, rows / 5), done.getInt("customers_scored"), done.prettify());
  }

  @Test
  void servicesRecoverFromADatabaseRestartWithoutLosingAnAcknowledgedWrite() throws Exception {
    E2ePlatform.TenantKey shop = platform.newTenant("pg-restart");
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();
    AtomicLong lastSuccess = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService writers = Executors.newFixedThreadPool(4);
    for (int w = 0; w < 4; w++) {
      int writer = w;
      writers.submit(() -> {
        for (int n = 0; running.get(); n++) {
          String orderNo = "PG-" + writer + "-" + n;
          try {
            Response r = platform.as(shop).body(Map.of("order_no", orderNo, "customer_external_id", "pg-" + n % 50,
                "ordered_at", OffsetDateTime.now().toString(), "total_amount", 10, "status", "completed"))
                .post("/api/v1/orders");
            answers.computeIfAbsent(r.statusCode(), s -> new AtomicLong()).incrementAndGet();
            if (r.statusCode() == 201) {
              acknowledged.put(orderNo, r.jsonPath().getLong("id"));
              lastSuccess.set(System.nanoTime());
            }
          } catch (RuntimeException e) {
            answers.computeIfAbsent(-1, s -> new AtomicLong()).incrementAndGet();
          }
          sleep(20);
        }
      });
    }
    long restarted;
    try {
      sleep(5_000);
      assertFalse(acknowledged.isEmpty(), "orders are written before the restart: " + answers);
      postgres.restart();
      restarted = System.nanoTime();
      long deadline = restarted + Duration.ofSeconds(10).toNanos();
      while (lastSuccess.get() < restarted && System.nanoTime() < deadline) {
        sleep(100);
      }
      sleep(3_000);
    } finally {
      running.set(false);
      writers.shutdown();
      assertTrue(writers.awaitTermination(60, TimeUnit.SECONDS));
    }
    double recovery = (lastSuccess.get() - restarted) / 1e9;
    assertTrue(recovery > 0 && recovery <= 10, "no order acknowledged within 10 s of the restart ("
        + recovery + " s): " + answers);
    System.out.printf("PostgreSQL restart under load: first acknowledged write %.1f s after it; answers %s%n",
        recovery, answers);

    platform.await("every service ready", () -> platform.platform().status().allReady(), 10_000);
    for (Map.Entry<String, Long> order : acknowledged.entrySet()) {
      platform.as(shop).get("/api/v1/orders/{id}", order.getValue()).then().statusCode(200);
    }
    assertEquals(acknowledged.size(), count("order", "SELECT count(*) FROM orders WHERE tenant_id = ?"
        + " AND order_no = ANY(?)", shop.tenantId(), acknowledged.keySet().toArray(String[]::new)));
    for (int status : answers.keySet()) {
      assertTrue(status == 201 || status == 502 || status == 503 || status == 504 || status == -1,
          "unexpected answer " + status + ": " + answers);
    }
  }

  private static final String CSV_HEADER = "order_no,customer_external_id,ordered_at,total_amount,status,coupon_code\n";

  private String startImport(E2ePlatform.TenantKey shop, String csv) {
    return platform.as(shop).contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
        .post("/api/v1/orders/imports?format=generic").then().statusCode(202).extract().jsonPath().getString("id");
  }

  private void awaitImport(E2ePlatform.TenantKey shop, String job, long imported) {
    JsonPath done = platform.await("import " + job, () -> platform.as(shop).get("/api/v1/orders/imports/{id}", job),
        j -> !j.getString("status").equals("running") && !j.getString("status").equals("queued"), 900_000);
    assertEquals("completed", done.getString("status"), done.prettify());
    assertEquals(imported, done.getLong("rows_imported"), done.prettify());
  }

  private static void kill(ServiceSpec service) {
    ServiceProcess process = platform.platform().process(service);
    ProcessHandle handle = process.running().orElseThrow();
    handle.destroyForcibly();
    handle.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    process.pidFile().delete();
  }

  /** One number from a service's database on the private cluster. */
  private static long count(String service, String sql, Object... args) {
    String url = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + PREFIX + service;
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
         PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof String[] array) {
          s.setArray(i + 1, c.createArrayOf("text", array));
        } else {
          s.setObject(i + 1, args[i]);
        }
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
