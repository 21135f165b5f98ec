package com.shopcrm.e2e;

import static io.restassured.RestAssured.given;

import com.shopcrm.launcher.DatabaseTarget;
import com.shopcrm.launcher.Platform;
import com.shopcrm.launcher.PlatformConfig;
import com.shopcrm.launcher.Ports;
import com.shopcrm.launcher.ServiceSpec;
import com.shopcrm.testing.TestDatabase;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The real platform for one test run: the five services started through the launcher's
 * {@link Platform} (the code behind {@code ./crm up}) on a free range of ports, against the
 * tests' PostgreSQL ({@link TestDatabase}: the local server or an embedded one) with databases
 * {@code crm_e2e_*} (dropped and made afresh at each run), a fixed admin key, and its state under
 * {@code target/e2e-state}.
 */
public final class E2ePlatform implements AutoCloseable {

  public static final String ADMIN_KEY = "crm_admin_e2e_0123456789abcdefghijklmnopqrstuv";
  private static final SecureRandom RANDOM = new SecureRandom();
  /** A request that hangs fails the test instead of the build. */
  private static final RestAssuredConfig HTTP_TIMEOUTS = RestAssuredConfig.config().httpClient(
      HttpClientConfig.httpClientConfig()
          .setParam("http.connection.timeout", 5_000)
          .setParam("http.socket.timeout", 60_000));

  private final Platform platform;
  private final Platform.Running running;

  private E2ePlatform(Platform platform, Platform.Running running) {
    this.platform = platform;
    this.running = running;
  }

  static E2ePlatform start() {
    TestDatabase db = TestDatabase.get();
    String dbPrefix = System.getProperty("crm.e2e.db-prefix", "crm_e2e_");
    Path stateDir = Path.of(System.getProperty("crm.e2e.state-dir", "target/e2e-state")).toAbsolutePath();
    return start(new DatabaseTarget(DatabaseTarget.Kind.GIVEN, db.host(), db.port(), db.user(), db.password(),
        "postgres"), dbPrefix, stateDir, environment(), () -> dropDatabases(db, dbPrefix));
  }

  /**
   * A platform on the given server with the given environment, its state in {@code stateDir};
   * {@code clean} runs once what an interrupted earlier run left there is stopped (the fault tests
   * start one of their own on a server they restart).
   */
  static E2ePlatform start(DatabaseTarget database, String dbPrefix, Path stateDir, Map<String, String> environment,
      Runnable clean) {
    Path root = Path.of(System.getProperty("crm.root", "..")).toAbsolutePath().normalize();
    PrintWriter out = new PrintWriter(System.out, true);
    PlatformConfig config = new PlatformConfig(root, stateDir, PlatformConfig.DEFAULT_PORT_BASE, dbPrefix, database,
        ADMIN_KEY, PlatformConfig.SERVICE_JVM_OPTIONS, Duration.ofSeconds(240), environment);

    // Whatever an interrupted earlier run left in this state directory goes first, and every run
    // starts on empty databases: a migration edited since the last run must not fail the suite.
    new Platform(config, out).down();
    clean.run();
    config = config.withPortBase(Ports.freeRange(18080, ServiceSpec.all().size()));
    Platform platform = new Platform(config, out);
    try {
      return new E2ePlatform(platform, platform.up());
    } catch (RuntimeException e) {
      System.err.println(platform.logTails(80));
      platform.down();
      throw e;
    }
  }

  /**
   * The services' environment: this JVM's, without campaign quiet hours (an empty window), so that
   * what a campaign test sees does not depend on the time of day it runs.
   */
  static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CRM_CAMPAIGN_QUIET_FROM", "00:00");
    env.put("CRM_CAMPAIGN_QUIET_UNTIL", "00:00");
    return env;
  }

  private static void dropDatabases(TestDatabase db, String prefix) {
    try (Connection c = db.connect("postgres"); Statement s = c.createStatement()) {
      for (ServiceSpec service : ServiceSpec.all()) {
        s.execute("DROP DATABASE IF EXISTS " + service.database(prefix) + " WITH (FORCE)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the e2e databases " + prefix + "*", e);
    }
  }

  public Platform platform() {
    return platform;
  }

  public Platform.Running running() {
    return running;
  }

  public int portBase() {
    return platform.config().portBase();
  }

  /** A request to the gateway, JSON in and out, without credentials. */
  public RequestSpecification gateway() {
    return given().config(HTTP_TIMEOUTS).baseUri("http://127.0.0.1").port(portBase())
        .contentType(ContentType.JSON).accept(ContentType.JSON);
  }

  /** A request to the gateway with the platform admin key. */
  public RequestSpecification asPlatformAdmin() {
    return gateway().header("Authorization", "Bearer " + ADMIN_KEY);
  }

  /** A request to the gateway with a tenant's API key. */
  public RequestSpecification as(TenantKey tenant) {
    return gateway().header("Authorization", "Bearer " + tenant.apiKey());
  }

  /** A request straight to a service's port, past the gateway. */
  public RequestSpecification direct(ServiceSpec service) {
    return given().config(HTTP_TIMEOUTS).baseUri("http://127.0.0.1").port(service.port(portBase()))
        .contentType(ContentType.JSON).accept(ContentType.JSON);
  }

  /** A tenant id no other run has used: {@code e2e-<label>-<random>}. */
  public static String uniqueTenantId(String label) {
    StringBuilder id = new StringBuilder("e2e-").append(label).append('-');
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < 10; i++) {
      id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return id.toString();
  }

  /** Creates a tenant and an API key for it with the given roles, through the admin API. */
  public TenantKey newTenant(String label, String... roles) {
    String tenantId = uniqueTenantId(label);
    asPlatformAdmin()
        .body(Map.of("id", tenantId, "name", "E2E " + label))
        .post("/api/v1/admin/tenants")
        .then().statusCode(201);
    String key = asPlatformAdmin()
        .body(Map.of("tenant_id", tenantId, "roles", roles.length == 0 ? List.of("admin") : List.of(roles)))
        .post("/api/v1/admin/api-keys")
        .then().statusCode(201)
        .extract().path("key");
    return new TenantKey(tenantId, key);
  }

  /** Another API key for an existing tenant: {@code {id, key}}. */
  public Map<String, Object> newKey(String tenantId, String... roles) {
    return asPlatformAdmin()
        .body(Map.of("tenant_id", tenantId, "roles", List.of(roles)))
        .post("/api/v1/admin/api-keys")
        .then().statusCode(201)
        .extract().jsonPath().getMap("$");
  }

  public record TenantKey(String tenantId, String apiKey) {
  }

  /**
   * Polls {@code call} every 250 ms until it answers 200 or 202 with a body {@code done} accepts (a
   * field not there yet counts as not done); fails after {@code millis} with the last answer and the
   * end of every service's log.
   */
  public JsonPath await(String what, Supplier<Response> call, Predicate<JsonPath> done, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    String last = "";
    do {
      Response r = call.get();
      last = r.statusCode() + " " + r.asString();
      if (r.statusCode() == 200 || r.statusCode() == 202) {
        try {
          JsonPath body = r.jsonPath();
          if (done.test(body)) {
            return body;
          }
        } catch (RuntimeException notYet) {
          // a field not there yet
        }
      }
      pause(250);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError(what + ": not within " + millis + " ms; last answer " + last + "\n" + logTails(30));
  }

  /** Polls a condition (e.g. over a service's database) the same way. */
  public void await(String what, BooleanSupplier done, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(what + ": not within " + millis + " ms\n" + logTails(30));
      }
      pause(500);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The last lines of every service's log. */
  public String logTails(int lines) {
    return platform.logTails(lines);
  }

  @Override
  public void close() {
    platform.down();
  }
}
