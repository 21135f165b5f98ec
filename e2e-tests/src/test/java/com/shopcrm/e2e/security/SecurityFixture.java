package com.shopcrm.e2e.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.e2e.E2ePlatform;
import com.shopcrm.e2e.security.ApiCatalog.Ids;
import com.shopcrm.e2e.security.ApiCatalog.Op;
import com.shopcrm.e2e.security.Http.Answer;
import com.shopcrm.e2e.security.Http.Call;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the security suites share in one platform run: the classified operations of the aggregated
 * OpenAPI document and a helper to call the gateway with a key, and seeding a tenant with one real
 * object of every kind (customer, order, ticket, segment, campaign with a coupon, trigger, import job,
 * scoring run, resync), its names carrying a canary string that must never show up in another
 * tenant's answers.
 */
public final class SecurityFixture {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern COUPON = Pattern.compile("C\\d+-[0-9A-F]+-[0-9A-Z]+");
  private static SecurityFixture shared;

  private final E2ePlatform platform;
  private final List<Op> ops;

  private SecurityFixture(E2ePlatform platform) {
    this.platform = platform;
    this.ops = ApiCatalog.classify(Http.send(call("GET", "/api/v1/openapi", null, null, null)).body());
  }

  /** One per platform (the platform itself is one per test run). */
  public static synchronized SecurityFixture of(E2ePlatform platform) {
    if (shared == null || shared.platform != platform) {
      shared = new SecurityFixture(platform);
    }
    return shared;
  }

  public E2ePlatform platform() {
    return platform;
  }

  public List<Op> ops() {
    return ops;
  }

  public int gatewayPort() {
    return platform.portBase();
  }

  /** A call to the gateway with the given key (null: none) and JSON body (a Map, a String as is, or null). */
  public Call call(String method, String path, String key, Object body, String contentType) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "application/json");
    if (key != null) {
      headers.put("Authorization", "Bearer " + key);
    }
    byte[] bytes = body == null ? null
        : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
        : body instanceof byte[] b ? b : Http.utf8(Http.toJson(body));
    return new Call(method, gatewayPort(), path, headers, bytes,
        bytes == null ? null : contentType == null ? "application/json" : contentType);
  }

  public Answer send(String method, String path, String key, Object body) {
    return Http.send(call(method, path, key, body, null));
  }

  public Answer expect(int status, String method, String path, String key, Object body) {
    Answer a = send(method, path, key, body);
    if (a.status() != status) {
      throw new AssertionError(method + " " + path + ": expected " + status + ", got " + a);
    }
    return a;
  }

  /** A tenant with an admin key and one with every other role, rate limits raised for the suites' bursts. */
  public Tenant newTenant(String label) {
    String canary = "cnry" + random(10);
    E2ePlatform.TenantKey admin = platform.newTenant(label + "-" + canary.substring(4, 8), "admin");
    expect(200, "PUT", "/api/v1/admin/tenants/" + admin.tenantId() + "/rate-limits", E2ePlatform.ADMIN_KEY,
        Map.of("per_second", 5000, "key_per_second", 5000));
    Map<String, String> roleKeys = new LinkedHashMap<>();
    String analystKeyId = null;
    for (String role : List.of("admin", "marketer", "agent", "analyst", "integration")) {
      Map<String, Object> key = platform.newKey(admin.tenantId(), role);
      roleKeys.put(role, (String) key.get("key"));
      if (role.equals("analyst")) {
        analystKeyId = (String) key.get("id");
      }
    }
    return new Tenant(admin.tenantId(), admin.apiKey(), roleKeys, analystKeyId, canary);
  }

  /** A tenant and its keys; {@code canary} is in the names of everything seeded for it. */
  public record Tenant(String id, String adminKey, Map<String, String> roleKeys, String apiKeyId, String canary) {
  }

  /**
   * Seeds a tenant with an object of every kind; with {@code coupon}, also launches a coupon campaign
   * and waits for its first message to learn a coupon code (a few seconds: the audience feed and the
   * dispatcher are asynchronous).
   */
  public Ids seed(Tenant t, boolean coupon) {
    String c = t.canary();
    String ext = "ext-" + c;
    String tag = "tag-" + c;
    long customer = create("/api/v1/customers", t, Map.of("external_id", ext, "name", "Canary " + c,
        "phone", "1390000" + (1000 + RANDOM.nextInt(9000)), "email", c + "@example.com", "city", "杭州",
        "birthday", "1990-05-17", "tags", List.of(tag))).get("id").asLong();
    long customer2 = create("/api/v1/customers", t, Map.of("external_id", ext + "-2", "name", "Canary two " + c,
        "email", c + ".two@example.com", "tags", List.of(tag))).get("id").asLong();
    expect(200, "PUT", "/api/v1/customers/" + customer + "/consent", t.adminKey(),
        Map.of("channel", "email", "granted", true, "source", "web"));
    expect(201, "POST", "/api/v1/customers/" + customer + "/events", t.adminKey(),
        Map.of("type", "view", "properties", Map.of("sku", "SKU-" + c)));
    String orderNo = "ORD-" + c;
    long order = create("/api/v1/orders", t, Map.of("order_no", orderNo, "customer_external_id", ext,
        "ordered_at", ApiCatalog.now(), "total_amount", 100, "status", "completed",
        "items", List.of(Map.of("sku", "SKU-" + c, "quantity", 1, "unit_price", 100)))).get("id").asLong();
    expect(201, "POST", "/api/v1/customers/" + customer + "/points/adjust", t.adminKey(),
        Map.of("points", 500, "reason", "seed " + c));
    long ticket = create("/api/v1/customers/tickets", t, Map.of("customer_id", customer, "order_no", orderNo,
        "channel", "online_chat", "categories", List.of("logistics"), "priority", "normal",
        "subject", "Ticket " + c, "description", "Parcel of " + c)).get("id").asLong();
    long segment = create("/api/v1/segments", t, Map.of("name", "Segment " + c,
        "rule", Map.of("field", "tags", "op", "contains", "value", tag))).get("id").asLong();
    long trigger = create("/api/v1/triggers", t, Map.of("name", "Trigger " + c, "kind", "birthday", "enabled", false,
        "days_before", 3, "channels", List.of("sms"), "message", Map.of("sms", "生日快乐 " + c))).get("id").asLong();
    String importJob = Http.send(call("POST", "/api/v1/orders/imports?format=generic", t.adminKey(),
        "order_no,customer_external_id,ordered_at,total_amount\nIMP-" + c + "," + ext + ",2026-01-02 10:00:00,88.00\n",
        "text/csv"))
        .json().get("id").asText();
    String run = expect(202, "POST", "/api/v1/scoring/runs", t.adminKey(), Map.of()).json().get("id").asText();
    String resync = expect(202, "POST", "/api/v1/scoring/resync", t.adminKey(), Map.of()).json().get("id").asText();
    String couponCode = "NO-COUPON-" + c;
    long campaign;
    Map<String, Object> campaignBody = new LinkedHashMap<>(ApiCatalog.campaignBody(
        new Ids(t.id(), t.apiKeyId(), customer, customer2, ext, order, orderNo, ticket, segment, 0, trigger, importJob,
            run, resync, couponCode, tag)));
    campaignBody.put("name", "Campaign " + c);
    campaignBody.put("channels", List.of("email"));
    campaignBody.put("variants", List.of(Map.of("name", "a", "weight", 1,
        "message", Map.of("email_subject", "For " + c, "email_body", "Your coupon {coupon}"))));
    campaign = create("/api/v1/campaigns", t, campaignBody).get("id").asLong();
    if (coupon) {
      await("the audience feed brings the seeded customers to campaign-service",
          () -> send("GET", "/api/v1/segments/" + segment + "/count", t.adminKey(), null),
          a -> a.status() == 200 && a.json().get("count").asLong() == 2);
      expect(202, "POST", "/api/v1/campaigns/" + campaign + "/launch", t.adminKey(), null);
      Answer messages = await("the campaign's coupons are sent",
          () -> send("GET", "/api/v1/campaigns/" + campaign + "/messages?limit=10", t.adminKey(), null),
          a -> a.status() == 200 && COUPON.matcher(a.body()).find());
      Matcher m = COUPON.matcher(messages.body());
      m.find();
      couponCode = m.group();
    }
    return new Ids(t.id(), t.apiKeyId(), customer, customer2, ext, order, orderNo, ticket, segment, campaign, trigger,
        importJob, run, resync, couponCode, tag);
  }

  private JsonNode create(String path, Tenant t, Map<String, Object> body) {
    return expect(201, "POST", path, t.adminKey(), body).json();
  }

  public Answer await(String what, java.util.function.Supplier<Answer> call, Predicate<Answer> done) {
    long deadline = System.currentTimeMillis() + 60_000;
    Answer last;
    do {
      last = call.get();
      if (done.test(last)) {
        return last;
      }
      sleep(250);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError(what + ": not within 60 s; last answer " + last + "\n" + platform.logTails(30));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String random(int n) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
