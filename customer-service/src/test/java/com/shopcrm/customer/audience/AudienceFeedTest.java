package com.shopcrm.customer.audience;

import static com.shopcrm.customer.CareCalls.as;
import static com.shopcrm.customer.CareCalls.customer;
import static com.shopcrm.customer.CareCalls.scalar;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The audience feed against a stand-in campaign-service ({@link FakeCampaignService}) with the relay
 * running every second in batches of 300: what each kind of change sends, delivery after an outage,
 * poison, tenant isolation, the 1,000-customer batch, concurrent relays and resync.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_customer_test"))
@QuarkusTestResource(value = FakeCampaignService.class, restrictToAnnotatedClass = true)
class AudienceFeedTest {

  @jakarta.inject.Inject
  AudienceFeedRelay relay;

  static final String CUSTOMERS = "/api/v1/customers";
  static final String PROFILES = AudienceFeedRelay.PROFILES_PATH;
  static final String EVENTS = AudienceFeedRelay.EVENTS_PATH;

  // ---------------------------------------------------------------- the fake and waiting

  static String fake() {
    return ConfigProvider.getConfig().getValue("crm.test.fake-campaign", String.class);
  }

  static void answer(int status) {
    given().post(fake() + "/_fake/status?code=" + status).then().statusCode(200);
  }

  @AfterEach
  void healthyAgain() {
    answer(200);
    given().post(fake() + "/_fake/delay?ms=0").then().statusCode(200);
    given().post(fake() + "/_fake/cure").then().statusCode(200);
  }

  /** The calls made with the tenant's token (null: every call), oldest first. */
  static List<Map<String, Object>> calls(String tenant) {
    return given().get(fake() + "/_fake/calls" + (tenant == null ? "" : "?tenant=" + tenant)).then().statusCode(200)
        .extract().jsonPath().getList("calls");
  }

  static long answered(int status) {
    return calls(null).stream().filter(c -> ((Number) c.get("status")).intValue() == status).count();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> items(Map<String, Object> call) {
    Map<String, Object> body = (Map<String, Object>) call.get("body");
    return (List<Map<String, Object>>) body.get(PROFILES.equals(call.get("path")) ? "profiles" : "events");
  }

  static List<Map<String, Object>> delivered(String tenant, String path) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> call : calls(tenant)) {
      if (path.equals(call.get("path")) && ((Number) call.get("status")).intValue() == 200) {
        out.addAll(items(call));
      }
    }
    return out;
  }

  /**
   * What campaign-service holds for the customer after the delivered profile items (later fields win;
   * a {@code deleted: true} item removes what was held).
   */
  static Map<String, Object> profile(String tenant, long id) {
    Map<String, Object> merged = new HashMap<>();
    for (Map<String, Object> item : delivered(tenant, PROFILES)) {
      if (((Number) item.get("customer_id")).longValue() == id) {
        if (Boolean.TRUE.equals(item.get("deleted"))) {
          merged.clear();
        }
        merged.putAll(item);
      }
    }
    return merged;
  }

  static <T> T await(String what, Supplier<T> value, java.util.function.Predicate<T> done) {
    long deadline = System.currentTimeMillis() + 20_000;
    T last = value.get();
    while (!done.test(last)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; last seen: " + last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      last = value.get();
    }
    return last;
  }

  static Map<String, Object> awaitProfile(String tenant, long id, String field, Object expected) {
    return await("profile " + id + " with " + field + " = " + expected, () -> profile(tenant, id),
        p -> p.containsKey(field) && java.util.Objects.equals(expected, p.get(field)));
  }

  static long pending(String tenant) {
    return scalar("SELECT count(*) FROM audience_outbox WHERE tenant_id = ? AND parked_at IS NULL", tenant);
  }

  static void awaitOutboxEmpty(String tenant) {
    await("the outbox of " + tenant + " to drain", () -> pending(tenant), n -> n == 0);
  }

  // ---------------------------------------------------------------- tests

  @Test
  void everyKindOfChangeReachesCampaignService() {
    String tenant = InternalTokens.newTenant("feed");
    long id = customer(tenant, """
        {"name": "张伟", "external_id": "tb-feed-1", "platform": "taobao", "gender": "male",
         "birthday": "1990-05-01", "province": "浙江", "city": "杭州", "age_band": "30-39", "tags": ["vip"],
         "phone": "13800000000", "email": "zw@example.com"}""");
    Map<String, Object> p = awaitProfile(tenant, id, "city", "杭州");
    assertEquals("张伟", p.get("name"));
    assertEquals("tb-feed-1", p.get("external_id"));
    assertEquals("taobao", p.get("platform"));
    assertEquals("male", p.get("gender"));
    assertEquals("1990-05-01", p.get("birthday"));
    assertEquals("浙江", p.get("province"));
    assertEquals("30-39", p.get("age_band"));
    assertEquals(List.of("vip"), p.get("tags"));
    assertEquals(true, p.get("consent_sms"));
    assertEquals(0, p.get("points_balance"));
    assertEquals("normal", p.get("tier"));
    assertTrue(OffsetDateTime.parse((String) p.get("created_at")).isBefore(OffsetDateTime.now().plusSeconds(1)));
    for (Map<String, Object> item : delivered(tenant, PROFILES)) {
      assertFalse(item.containsKey("phone") || item.containsKey("email"), "no PII in the read model: " + item);
    }

    as(tenant, "marketer").body("{\"city\": \"上海\", \"province\": null}").patch(CUSTOMERS + "/" + id).then()
        .statusCode(200);
    p = awaitProfile(tenant, id, "city", "上海");
    assertEquals(null, p.get("province"));

    as(tenant, "marketer").body("{\"tags\": [\"new\"]}").post(CUSTOMERS + "/" + id + "/tags").then().statusCode(200);
    awaitProfile(tenant, id, "tags", List.of("new", "vip"));
    as(tenant, "marketer").delete(CUSTOMERS + "/" + id + "/tags/vip").then().statusCode(204);
    awaitProfile(tenant, id, "tags", List.of("new"));

    as(tenant, "agent").body("{\"channel\": \"sms\", \"granted\": false, \"source\": \"回T退订\"}")
        .put(CUSTOMERS + "/" + id + "/consent").then().statusCode(200);
    awaitProfile(tenant, id, "consent_sms", false);

    as(tenant, "admin").body("{\"points\": 50, \"reason\": \"welcome\"}").post(CUSTOMERS + "/" + id + "/points/adjust")
        .then().statusCode(201);
    awaitProfile(tenant, id, "points_balance", 50);

    as(tenant, "integration").body("{\"customers\": [{\"external_id\": \"tb-feed-1\", \"platform\": \"taobao\","
            + " \"name\": \"张伟\", \"age_band\": \"40-49\"}]}")
        .post(CUSTOMERS + "/batch").then().statusCode(200).body("results[0].status", equalTo("updated"));
    awaitProfile(tenant, id, "age_band", "40-49");

    as(tenant, "integration").body("{\"type\": \"cart_abandon\", \"occurred_at\": \"2024-01-01T10:00:00+08:00\"}")
        .post(CUSTOMERS + "/" + id + "/events").then().statusCode(201);
    as(tenant, "integration").body("{\"events\": [{\"customer_id\": " + id + ", \"type\": \"view\","
            + " \"occurred_at\": \"2024-01-02T10:00:00+08:00\"}]}")
        .post(CUSTOMERS + "/events/batch").then().statusCode(200);
    List<Map<String, Object>> events = await("both events", () -> delivered(tenant, EVENTS), e -> e.size() >= 2);
    assertEquals(2, events.size());
    assertEquals("cart_abandon", events.get(0).get("type"));
    assertEquals(id, ((Number) events.get(0).get("customer_id")).longValue());
    assertEquals(OffsetDateTime.parse("2024-01-01T10:00:00+08:00").toInstant(),
        OffsetDateTime.parse((String) events.get(0).get("occurred_at")).toInstant());
    assertEquals("view", events.get(1).get("type"));

    // every call carried the relay's own service token for this tenant
    for (Map<String, Object> call : calls(tenant)) {
      assertEquals(List.of("integration"), call.get("groups"));
      assertEquals("service:customer-service", call.get("subject"));
    }
    awaitOutboxEmpty(tenant);
  }

  @Test
  void renamingTheLowestTierResendsCustomersWithoutMembership() {
    String tenant = InternalTokens.newTenant("feed-tiers");
    long id = customer(tenant, "{\"name\": \"No orders yet\"}");
    awaitProfile(tenant, id, "tier", "normal");
    as(tenant, "admin").body("""
        {"period_days": 365, "grace_days": 30, "first_order_bonus": 100, "birthday_multiplier": 2,
         "tiers": [{"code": "basic", "name": "普通", "min_spend": 0, "points_multiplier": 1.0,
                    "birthday_coupon": false, "free_shipping": false},
                   {"code": "vip", "name": "VIP", "min_spend": 3000, "points_multiplier": 1.5,
                    "birthday_coupon": true, "free_shipping": true}]}""")
        .put(CUSTOMERS + "/membership/tiers").then().statusCode(200);
    awaitProfile(tenant, id, "tier", "basic");
  }

  @Test
  void mergedAwayAndDeletedCustomersAreSentAsDeleted() {
    String tenant = InternalTokens.newTenant("feed-merge");
    long survivor = customer(tenant, "{\"name\": \"Li Na\", \"tags\": [\"vip\"]}");
    long loser = customer(tenant, "{\"name\": \"李娜\", \"city\": \"杭州\", \"tags\": [\"jd\"]}");
    awaitProfile(tenant, loser, "name", "李娜");
    as(tenant, "admin").body("{\"survivor_id\": " + survivor + ", \"merged_id\": " + loser + "}")
        .post(CUSTOMERS + "/merge").then().statusCode(200);

    // exactly {customer_id, deleted: true}: campaign-service removes the profile, its events and memberships
    Map<String, Object> gone = awaitProfile(tenant, loser, "deleted", true);
    assertEquals(Map.of("customer_id", (int) loser, "deleted", true), gone);
    assertEquals(Map.of("customer_id", (int) loser, "deleted", true), lastItem(tenant, loser));
    Map<String, Object> kept = awaitProfile(tenant, survivor, "tags", List.of("jd", "vip"));
    assertEquals("杭州", kept.get("city"));
    assertFalse(kept.containsKey("deleted"));

    as(tenant, "admin").delete(CUSTOMERS + "/" + survivor).then().statusCode(204);
    awaitProfile(tenant, survivor, "deleted", true);
    assertEquals(Map.of("customer_id", (int) survivor, "deleted", true), lastItem(tenant, survivor));
    awaitOutboxEmpty(tenant);
  }

  /** The last profile item delivered for the customer, as sent. */
  static Map<String, Object> lastItem(String tenant, long id) {
    Map<String, Object> last = null;
    for (Map<String, Object> item : delivered(tenant, PROFILES)) {
      if (((Number) item.get("customer_id")).longValue() == id) {
        last = item;
      }
    }
    return last;
  }

  @Test
  void changesWaitWhileCampaignServiceIsDownAndArriveOnceAfter() {
    String tenant = InternalTokens.newTenant("feed-down");
    long failedBefore = answered(503);
    answer(503);
    long id = customer(tenant, "{\"name\": \"Zhou\"}");
    as(tenant, "integration").body("{\"type\": \"consult\", \"occurred_at\": \"2024-03-01T09:00:00Z\"}")
        .post(CUSTOMERS + "/" + id + "/events").then().statusCode(201);
    // while it is down, the relay keeps trying (with back-off, for every tenant at once)
    await("retries answered 503", () -> answered(503) - failedBefore, n -> n >= 3);
    assertTrue(pending(tenant) >= 2, "the profile and the event wait in the outbox");
    assertTrue(profile(tenant, id).isEmpty());

    answer(200);
    awaitProfile(tenant, id, "name", "Zhou");
    List<Map<String, Object>> events = await("the event", () -> delivered(tenant, EVENTS), e -> !e.isEmpty());
    awaitOutboxEmpty(tenant);
    assertEquals(1, events.size());
    assertEquals(1, delivered(tenant, EVENTS).size(), "delivered once");
    assertEquals(0, scalar("SELECT count(*) FROM audience_outbox WHERE tenant_id = ?", tenant));
  }

  @Test
  void aBatchOfAThousandIsOneOutboxStatementAndAllArrive() {
    String tenant = InternalTokens.newTenant("feed-batch");
    answer(503); // hold delivery so the rows can be counted
    StringBuilder body = new StringBuilder("{\"customers\": [");
    for (int i = 0; i < 1000; i++) {
      body.append(i == 0 ? "" : ",").append("{\"external_id\": \"b-").append(i)
          .append("\", \"platform\": \"tmall\", \"name\": \"买家").append(i).append("\", \"city\": \"成都\"}");
    }
    as(tenant, "integration").body(body.append("]}").toString()).post(CUSTOMERS + "/batch").then().statusCode(200);
    assertEquals(1000, scalar("SELECT count(*) FROM audience_outbox WHERE tenant_id = ?", tenant));
    // all 1000 rows carry the start time of one statement: the batch's upsert, through one statement-level trigger
    assertEquals(1, scalar("SELECT count(DISTINCT created_at) FROM audience_outbox WHERE tenant_id = ?", tenant));

    answer(200);
    Set<Long> ids = await("1000 profiles", () -> {
      Set<Long> seen = new HashSet<>();
      delivered(tenant, PROFILES).forEach(item -> seen.add(((Number) item.get("customer_id")).longValue()));
      return seen;
    }, seen -> seen.size() >= 1000);
    assertEquals(1000, ids.size());
    assertEquals(1000, scalar("SELECT count(*) FROM customer WHERE tenant_id = ? AND id = ANY(?)", tenant,
        ids.toArray(Long[]::new)));
    awaitOutboxEmpty(tenant);
  }

  @Test
  void concurrentRelaysSendEachChangeOnce() throws Exception {
    String tenant = InternalTokens.newTenant("feed-replicas");
    answer(503);
    StringBuilder body = new StringBuilder("{\"customers\": [");
    for (int i = 0; i < 1000; i++) {
      body.append(i == 0 ? "" : ",").append("{\"external_id\": \"r-").append(i)
          .append("\", \"platform\": \"jd\", \"name\": \"buyer ").append(i).append("\"}");
    }
    as(tenant, "integration").body(body.append("]}").toString()).post(CUSTOMERS + "/batch").then().statusCode(200);
    given().post(fake() + "/_fake/delay?ms=150").then().statusCode(200);
    answer(200);
    Thread.sleep(500); // past the back-off of the 503s
    // four more relays race the scheduled one, as replicas would, while each call takes 150 ms
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<AudienceFeedRelay.RunResult>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(pool.submit(() -> relay.run().await().atMost(java.time.Duration.ofSeconds(60))));
      }
      for (var run : runs) {
        run.get();
      }
    } finally {
      pool.shutdown();
    }
    awaitOutboxEmpty(tenant);
    List<Map<String, Object>> items = delivered(tenant, PROFILES);
    Set<Long> distinct = new HashSet<>();
    items.forEach(item -> distinct.add(((Number) item.get("customer_id")).longValue()));
    assertEquals(1000, distinct.size());
    assertEquals(1000, items.size(), "no customer was sent twice");
    assertTrue(calls(tenant).stream().filter(c -> ((Number) c.get("status")).intValue() == 200).count() >= 4,
        "batches of at most 300");
  }

  @Test
  void aTenantsChangesTravelOnlyWithThatTenantsToken() {
    String a = InternalTokens.newTenant("feed-a");
    String b = InternalTokens.newTenant("feed-b");
    long inA = customer(a, "{\"name\": \"A's buyer\"}");
    long inB = customer(b, "{\"name\": \"B's buyer\"}");
    awaitProfile(a, inA, "name", "A's buyer");
    awaitProfile(b, inB, "name", "B's buyer");
    for (String tenant : List.of(a, b)) {
      long own = tenant.equals(a) ? inA : inB;
      for (Map<String, Object> call : calls(tenant)) {
        for (Map<String, Object> item : items(call)) {
          assertEquals(own, ((Number) item.get("customer_id")).longValue(), "tenant " + tenant + " sent " + item);
        }
      }
    }
    assertTrue(profile(a, inB).isEmpty());
    assertTrue(profile(b, inA).isEmpty());
  }

  @Test
  void poisonIsParkedTheRestDeliveredAndResyncSendsEverythingAgain() {
    String tenant = InternalTokens.newTenant("feed-poison");
    answer(503);
    long bad = customer(tenant, "{\"name\": \"Bad\"}");
    long good = customer(tenant, "{\"name\": \"Good\"}");
    given().post(fake() + "/_fake/poison?customer_id=" + bad).then().statusCode(200);
    answer(200);
    awaitProfile(tenant, good, "name", "Good");
    await("the poisoned row parked", () -> scalar(
        "SELECT count(*) FROM audience_outbox WHERE tenant_id = ? AND parked_at IS NOT NULL AND error LIKE '%400%'",
        tenant), n -> n >= 1);
    awaitOutboxEmpty(tenant);
    assertTrue(profile(tenant, bad).isEmpty());
    as(tenant, "admin").get(CUSTOMERS + "/audience-feed").then().statusCode(200)
        .body("feed_enabled", equalTo(true))
        .body("parked", greaterThanOrEqualTo(1))
        .body("pending_profiles", equalTo(0));

    given().post(fake() + "/_fake/cure").then().statusCode(200);
    as(tenant, "integration").body("{\"type\": \"view\", \"occurred_at\": \"2024-05-01T00:00:00Z\"}")
        .post(CUSTOMERS + "/" + good + "/events").then().statusCode(201);
    awaitOutboxEmpty(tenant);
    as(tenant, "marketer").post(CUSTOMERS + "/audience-feed/resync").then().statusCode(403);
    as(tenant, "admin").post(CUSTOMERS + "/audience-feed/resync").then().statusCode(202)
        .body("profiles", equalTo(2))
        .body("events", equalTo(1))
        .body("parked_dropped", greaterThanOrEqualTo(1));
    awaitProfile(tenant, bad, "name", "Bad");
    await("the event twice (once more by the resync)", () -> delivered(tenant, EVENTS), e -> e.size() >= 2);
    awaitOutboxEmpty(tenant);
    assertEquals(0, scalar("SELECT count(*) FROM audience_outbox WHERE tenant_id = ?", tenant));
  }

  @Test
  void resyncAndStatusAreAdminOnlyAndPerTenant() {
    String tenant = InternalTokens.newTenant("feed-roles");
    String other = InternalTokens.newTenant("feed-roles-other");
    customer(tenant, "{\"name\": \"One\"}");
    awaitOutboxEmpty(tenant);
    for (String role : new String[] {"marketer", "agent", "analyst", "integration"}) {
      as(tenant, role).post(CUSTOMERS + "/audience-feed/resync").then().statusCode(403);
      as(tenant, role).get(CUSTOMERS + "/audience-feed").then().statusCode(403);
    }
    as(other, "admin").post(CUSTOMERS + "/audience-feed/resync").then().statusCode(202)
        .body("profiles", equalTo(0)).body("events", equalTo(0));
  }
}
