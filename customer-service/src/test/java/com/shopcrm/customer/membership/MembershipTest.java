package com.shopcrm.customer.membership;

import static com.shopcrm.customer.CareCalls.as;
import static com.shopcrm.customer.CareCalls.customer;
import static com.shopcrm.customer.CareCalls.scalar;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_customer_test"))
class MembershipTest {

  static final String MEMBERSHIP = "/api/v1/customers/membership";

  static String points(long id) {
    return "/api/v1/customers/" + id + "/points";
  }

  static String member(long id) {
    return "/api/v1/customers/" + id + "/membership";
  }

  static JsonPath event(String tenant, String eventId, String type, long customerId, String orderNo, String at,
      String payload) {
    return as(tenant, "integration").body("""
            {"event_id": "%s", "type": "%s", "customer_id": %d, "order_no": "%s", "occurred_at": "%s",
             "payload": %s}""".formatted(eventId, type, customerId, orderNo, at, payload))
        .post(MEMBERSHIP + "/order-events").then().statusCode(200).extract().jsonPath();
  }

  static JsonPath maintain(String tenant, String asOf) {
    return as(tenant, "admin").body("{\"as_of\": \"" + asOf + "\"}").post(MEMBERSHIP + "/maintenance").then()
        .statusCode(200).extract().jsonPath();
  }

  static long ledgerSum(String tenant, long id) {
    return scalar("SELECT coalesce(sum(points), 0) FROM points_ledger WHERE tenant_id = ? AND customer_id = ?",
        tenant, id);
  }

  @Test
  void tierMovesUpFromOrderEventsAndDownOnlyAfterTheGracePeriod() {
    String tenant = InternalTokens.newTenant("tier");
    long id = customer(tenant, "{\"name\": \"Tier\"}");

    JsonPath first = event(tenant, "e1", "order.completed", id, "O-1", "2024-03-01T10:00:00+08:00",
        "{\"total_amount\": 800}");
    assertEquals("earned", first.getString("result"));
    assertEquals(900, first.getLong("points"));  // 800 x 1.0 + 100 first-order bonus
    assertEquals("normal", first.getString("tier"));
    JsonPath second = event(tenant, "e2", "order.completed", id, "O-2", "2024-04-01T10:00:00+08:00",
        "{\"total_amount\": 4500.00}");
    assertEquals(4500, second.getLong("points"));
    assertEquals("gold", second.getString("tier")); // 5300 in 365 days: past silver (1000) and gold (5000) at once

    as(tenant, "analyst").get(member(id)).then().statusCode(200)
        .body("tier", equalTo("gold")).body("tier_name", equalTo("金卡"))
        .body("points_balance", equalTo(5400)).body("benefits.free_shipping", equalTo(true))
        .body("next_tier", equalTo("diamond")).body("orders_completed", equalTo(2));
    as(tenant, "admin").get(member(id) + "/history").then().statusCode(200)
        .body("items", hasSize(1)).body("items[0].from_tier", equalTo("normal"))
        .body("items[0].to_tier", equalTo("gold")).body("items[0].reason", equalTo("upgrade"));

    // Still 5300 within the 365 days before 2025-03-01: nothing changes.
    assertEquals(0, maintain(tenant, "2025-03-01T00:00:00Z").getInt("grace_periods_started"));
    // Spend has left the window: the grace period starts, the tier stays.
    JsonPath below = maintain(tenant, "2025-04-15T00:00:00Z");
    assertEquals(1, below.getInt("grace_periods_started"));
    assertEquals(0, below.getInt("tiers_downgraded"));
    as(tenant, "admin").get(member(id)).then().body("tier", equalTo("gold"))
        .body("below_threshold_since", notNullValue()).body("downgrade_after", notNullValue());
    assertEquals(0, maintain(tenant, "2025-05-10T00:00:00Z").getInt("tiers_downgraded")); // 25 days: within grace
    assertEquals(1, maintain(tenant, "2025-05-16T00:00:00Z").getInt("tiers_downgraded")); // 31 days: down
    as(tenant, "admin").get(member(id)).then().body("tier", equalTo("normal"))
        .body("below_threshold_since", nullValue()).body("points_balance", equalTo(5400));
    as(tenant, "admin").get(member(id) + "/history").then()
        .body("items.reason", contains("downgrade", "upgrade")).body("items[0].to_tier", equalTo("normal"));
    assertEquals("normal", jdbcTier(tenant, id));
  }

  @Test
  void ordersArrivingCompletedOrRefundedActOnTheirCreatedEvent() {
    String tenant = InternalTokens.newTenant("arrived");
    long id = customer(tenant, "{\"name\": \"Imported\"}");

    // Still open: nothing to earn yet.
    assertEquals(0, event(tenant, "o1", "order.created", id, "B-1", "2024-03-01T10:00:00+08:00",
        "{\"status\": \"created\", \"total_amount\": 80}").getLong("points"));
    // Arrived completed (an import): 300 x 1.0 + 100 first-order bonus.
    assertEquals(400, event(tenant, "o2", "order.created", id, "B-2", "2024-03-02T10:00:00+08:00",
        "{\"status\": \"completed\", \"total_amount\": 300}").getLong("points"));
    // Arrived fully refunded: earned and reversed at once.
    event(tenant, "o3", "order.created", id, "B-3", "2024-03-03T10:00:00+08:00",
        "{\"status\": \"refunded\", \"total_amount\": 200, \"refunded_amount\": 200}");
    // Arrived half refunded: 100 earned, floor(100 x 50 / 100) reversed.
    event(tenant, "o4", "order.created", id, "B-4", "2024-03-04T10:00:00+08:00",
        "{\"status\": \"partially_refunded\", \"total_amount\": 100, \"refunded_amount\": 50}");

    as(tenant, "analyst").get(member(id)).then().statusCode(200)
        .body("points_balance", equalTo(450))
        .body("orders_completed", equalTo(3));
    assertEquals(450, ledgerSum(tenant, id));
  }

  static String created(String eventId, long customerId, String orderNo, int total) {
    return """
        {"event_id": "%s", "type": "order.created", "customer_id": %d, "order_no": "%s",
         "occurred_at": "2024-03-01T10:00:00+08:00", "payload": {"status": "completed", "total_amount": %d}}"""
        .formatted(eventId, customerId, orderNo, total);
  }

  @Test
  void aBatchOfEventsAppliesInOrderInOneTransactionOrNotAtAll() {
    String tenant = InternalTokens.newTenant("batch");
    String other = InternalTokens.newTenant("batch");
    long id = customer(tenant, "{\"name\": \"Batched\"}");
    String batch = "{\"events\": [" + created("b1", id, "B-1", 300) + "," + created("b2", id, "B-2", 100) + ","
        + created("b1", id, "B-1", 300) + "]}";

    // 300 + 100 first-order bonus, then 100; the repeated b1 answers its first result
    as(tenant, "integration").body(batch).post(MEMBERSHIP + "/order-events").then().statusCode(200)
        .body("results.event_id", contains("b1", "b2", "b1"))
        .body("results.points", contains(400, 100, 400))
        .body("results.duplicate", contains(false, false, true));
    as(tenant, "integration").body(batch).post(MEMBERSHIP + "/order-events").then().statusCode(200)
        .body("results.duplicate", contains(true, true, true));
    assertEquals(500, ledgerSum(tenant, id));

    // an invalid event rejects the batch whole, naming it
    as(tenant, "integration").body("{\"events\": [" + created("b3", id, "B-3", 50)
            + ", {\"type\": \"order.created\"}]}").post(MEMBERSHIP + "/order-events").then().statusCode(400)
        .body("errors.field", org.hamcrest.Matchers.hasItem("events[1].event_id"));
    // an event failing midway (its customer is unknown) applies none of the batch
    as(tenant, "integration").body("{\"events\": [" + created("b3", id, "B-3", 50) + ","
        + created("b4", id + 999_999, "B-4", 50) + "]}").post(MEMBERSHIP + "/order-events").then().statusCode(404);
    as(tenant, "integration").body("{\"events\": []}").post(MEMBERSHIP + "/order-events").then().statusCode(400)
        .body("errors[0].field", equalTo("events"));
    assertEquals(500, ledgerSum(tenant, id));
    assertEquals(2, scalar("SELECT count(*) FROM membership_order_event WHERE tenant_id = ?", tenant));

    // another shop's batch cannot reach this shop's customer
    as(other, "integration").body("{\"events\": [" + created("x1", id, "X-1", 300) + "]}")
        .post(MEMBERSHIP + "/order-events").then().statusCode(404);
    assertEquals(0, scalar("SELECT count(*) FROM membership_order_event WHERE tenant_id = ?", other));
    assertEquals(500, ledgerSum(tenant, id));
  }

  @Test
  void earnsReversesOnRefundAndExpiresFifo() {
    String tenant = InternalTokens.newTenant("points");
    long id = customer(tenant, "{\"name\": \"P\", \"birthday\": \"1990-06-15\"}");

    // Birthday month: 300.50 x 1.0 x 2 = 601, + 100 first order.
    assertEquals(701, event(tenant, "c1", "order.completed", id, "A-1", "2023-06-10T10:00:00+08:00",
        "{\"total_amount\": 300.50}").getLong("points"));
    JsonPath refund = event(tenant, "r1", "order.refunded", id, "A-1", "2023-07-01T10:00:00+08:00",
        "{\"refunded_amount\": 150.25}");
    assertEquals(-350, refund.getLong("points")); // floor(701 x 150.25 / 300.50)
    assertEquals(351, refund.getLong("points_balance"));
    JsonPath again = event(tenant, "r1", "order.refunded", id, "A-1", "2023-07-01T10:00:00+08:00",
        "{\"refunded_amount\": 150.25}");
    assertEquals(true, again.getBoolean("duplicate"));
    assertEquals(-350, again.getLong("points"));
    assertEquals(2, scalar("SELECT count(*) FROM points_ledger WHERE tenant_id = ?", tenant));

    assertEquals(200, event(tenant, "c2", "order.completed", id, "A-2", "2024-02-01T10:00:00+08:00",
        "{\"total_amount\": 200}").getLong("points"));
    as(tenant, "agent").header("Idempotency-Key", "spend-1").body("{\"points\": 51}").post(points(id) + "/redeem")
        .then().statusCode(201).body("points_balance", equalTo(500));

    // The 2023 lot (701) expires at the end of 2024: 350 of it was reversed, so 351 go.
    JsonPath expiry = maintain(tenant, "2025-01-01T00:00:00Z");
    assertEquals(1, expiry.getInt("expiry_entries"));
    assertEquals(351, expiry.getLong("points_expired"));
    assertEquals(0, maintain(tenant, "2025-01-01T00:00:00Z").getInt("expiry_entries")); // a rerun expires nothing
    as(tenant, "admin").get(member(id)).then().body("points_balance", equalTo(149));
    // The 2024 lot (200) expires at the end of 2025; 51 of it were redeemed.
    assertEquals(149, maintain(tenant, "2026-01-01T00:00:00Z").getLong("points_expired"));
    as(tenant, "admin").get(member(id)).then().body("points_balance", equalTo(0));
    assertEquals(0, ledgerSum(tenant, id));

    List<String> kinds = new ArrayList<>();
    String cursor = null;
    do {
      var spec = as(tenant, "analyst").queryParam("limit", 4);
      if (cursor != null) {
        spec.queryParam("cursor", cursor);
      }
      JsonPath page = spec.get(points(id)).then().statusCode(200).extract().jsonPath();
      kinds.addAll(page.getList("items.kind", String.class));
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    assertEquals(List.of("expire", "expire", "redeem", "earn", "reverse", "earn"), kinds);
    as(tenant, "admin").queryParam("kind", "earn").get(points(id)).then()
        .body("items.source", contains("A-2", "A-1")).body("items[1].expires_at", notNullValue());
    as(tenant, "admin").queryParam("kind", "gift").get(points(id)).then().statusCode(400);
  }

  @Test
  void fiftyParallelRedemptionsNeverOverdraw() throws Exception {
    String tenant = InternalTokens.newTenant("redeem");
    long id = customer(tenant, "{\"name\": \"R\"}");
    as(tenant, "admin").body("{\"points\": 1000, \"reason\": \"welcome\"}").post(points(id) + "/adjust").then()
        .statusCode(201).body("points_balance", equalTo(1000)).body("kind", equalTo("adjust"));

    ExecutorService pool = Executors.newFixedThreadPool(50);
    List<Future<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String key = "r-" + i;
      calls.add(pool.submit(() -> as(tenant, "integration").header("Idempotency-Key", key)
          .body("{\"points\": 30}").post(points(id) + "/redeem").then().extract().statusCode()));
    }
    int created = 0;
    int conflicts = 0;
    for (Future<Integer> call : calls) {
      int status = call.get();
      if (status == 201) {
        created++;
      } else if (status == 409) {
        conflicts++;
      }
    }
    pool.shutdown();
    assertEquals(33, created);   // 33 x 30 = 990 <= 1000
    assertEquals(17, conflicts);
    as(tenant, "admin").get(member(id)).then().body("points_balance", equalTo(10));
    assertEquals(10, ledgerSum(tenant, id));
    assertEquals(10, scalar("SELECT points_balance FROM membership WHERE tenant_id = ? AND customer_id = ?", tenant, id));
    assertEquals(33, scalar("SELECT count(*) FROM points_ledger WHERE tenant_id = ? AND kind = 'redeem'", tenant));
  }

  @Test
  void retriesWithTheSameKeyAnswerTheFirstResultAndWriteOneEntry() {
    String tenant = InternalTokens.newTenant("idem");
    long id = customer(tenant, "{\"name\": \"I\"}");
    as(tenant, "admin").header("Idempotency-Key", "adj-1").body("{\"points\": 100, \"reason\": \"goodwill\"}")
        .post(points(id) + "/adjust").then().statusCode(201);
    as(tenant, "admin").header("Idempotency-Key", "adj-1").body("{\"points\": 100, \"reason\": \"goodwill\"}")
        .post(points(id) + "/adjust").then().statusCode(201).header("Idempotent-Replayed", "true")
        .body("points_balance", equalTo(100));
    int firstId = as(tenant, "agent").header("Idempotency-Key", "red-1").body("{\"points\": 40}")
        .post(points(id) + "/redeem").then().statusCode(201).body("points_balance", equalTo(60))
        .extract().path("id");
    as(tenant, "agent").header("Idempotency-Key", "red-1").body("{\"points\": 40}").post(points(id) + "/redeem")
        .then().statusCode(201).body("id", equalTo(firstId)).body("points_balance", equalTo(60));
    as(tenant, "agent").header("Idempotency-Key", "red-1").body("{\"points\": 41}").post(points(id) + "/redeem")
        .then().statusCode(422);
    assertEquals(1, scalar("SELECT count(*) FROM points_ledger WHERE tenant_id = ? AND idempotency_key = 'api:red-1'",
        tenant));
    assertEquals(2, scalar("SELECT count(*) FROM points_ledger WHERE tenant_id = ?", tenant));
    as(tenant, "admin").get(member(id)).then().body("points_balance", equalTo(60));
  }

  @Test
  void balanceNeverGoesNegativeAndBadInputIsRejected() {
    String tenant = InternalTokens.newTenant("neg");
    long id = customer(tenant, "{\"name\": \"N\"}");
    as(tenant, "agent").body("{\"points\": 1}").post(points(id) + "/redeem").then().statusCode(409)
        .contentType("application/problem+json").body("title", equalTo("Insufficient points"));
    as(tenant, "admin").body("{\"points\": 50, \"reason\": \"x\"}").post(points(id) + "/adjust").then().statusCode(201);
    as(tenant, "admin").body("{\"points\": -51, \"reason\": \"fix\"}").post(points(id) + "/adjust").then()
        .statusCode(409);
    as(tenant, "admin").body("{\"points\": -50, \"reason\": \"fix\"}").post(points(id) + "/adjust").then()
        .statusCode(201).body("points_balance", equalTo(0));
    as(tenant, "admin").body("{\"points\": 0, \"reason\": \"x\"}").post(points(id) + "/adjust").then().statusCode(400);
    as(tenant, "admin").body("{\"points\": 5}").post(points(id) + "/adjust").then().statusCode(400)
        .body("errors[0].field", equalTo("reason"));
    as(tenant, "admin").body("{\"points\": -5}").post(points(id) + "/redeem").then().statusCode(400);
    as(tenant, "admin").body("{\"points\": \"5\"}").post(points(id) + "/redeem").then().statusCode(400);
    as(tenant, "integration").body("""
        {"event_id": "x", "type": "order.completed", "customer_id": %d, "order_no": "B", "occurred_at":
         "2024-01-01T00:00:00Z", "payload": {}}""".formatted(id)).post(MEMBERSHIP + "/order-events").then()
        .statusCode(400).body("errors[0].field", equalTo("payload.total_amount"));
    assertEquals(0, ledgerSum(tenant, id));
    assertEquals(0, scalar("SELECT count(*) FROM membership_order_event WHERE tenant_id = ?", tenant));
  }

  @Test
  void rolesGuardPointsAndTiers() {
    String tenant = InternalTokens.newTenant("roles");
    long id = customer(tenant, "{\"name\": \"Ro\"}");
    as(tenant, "analyst").get(member(id)).then().statusCode(200).body("tier", equalTo("normal"))
        .body("points_balance", equalTo(0));
    as(tenant, "analyst").body("{\"points\": 1}").post(points(id) + "/redeem").then().statusCode(403);
    as(tenant, "marketer").body("{\"points\": 1}").post(points(id) + "/redeem").then().statusCode(403);
    as(tenant, "agent").body("{\"points\": 1, \"reason\": \"r\"}").post(points(id) + "/adjust").then().statusCode(403);
    as(tenant, "integration").body("{\"points\": 1, \"reason\": \"r\"}").post(points(id) + "/adjust").then()
        .statusCode(403);
    as(tenant, "agent").body("{\"event_id\": \"e\", \"type\": \"order.completed\", \"customer_id\": " + id
        + ", \"order_no\": \"X\", \"occurred_at\": \"2024-01-01T00:00:00Z\", \"payload\": {\"total_amount\": 1}}")
        .post(MEMBERSHIP + "/order-events").then().statusCode(403);
    as(tenant, "marketer").body("{}").post(MEMBERSHIP + "/maintenance").then().statusCode(403);
    as(tenant, "agent").body(MembershipTest.customTiers()).put(MEMBERSHIP + "/tiers").then().statusCode(403);
  }

  @Test
  void otherTenantSeesNotFound() {
    String tenant = InternalTokens.newTenant("iso");
    String other = InternalTokens.newTenant("iso");
    long id = customer(tenant, "{\"name\": \"Iso\"}");
    as(tenant, "admin").body("{\"points\": 10, \"reason\": \"x\"}").post(points(id) + "/adjust").then().statusCode(201);
    as(other, "admin").get(member(id)).then().statusCode(404);
    as(other, "admin").get(member(id) + "/history").then().statusCode(404);
    as(other, "admin").get(points(id)).then().statusCode(404);
    as(other, "admin").body("{\"points\": 1}").post(points(id) + "/redeem").then().statusCode(404);
    as(other, "admin").body("{\"points\": 1, \"reason\": \"x\"}").post(points(id) + "/adjust").then().statusCode(404);
    as(other, "integration").body("{\"event_id\": \"e\", \"type\": \"order.completed\", \"customer_id\": " + id
        + ", \"order_no\": \"X\", \"occurred_at\": \"2024-01-01T00:00:00Z\", \"payload\": {\"total_amount\": 1}}")
        .post(MEMBERSHIP + "/order-events").then().statusCode(404);
    as(other, "admin").body(customTiers()).put(MEMBERSHIP + "/tiers").then().statusCode(200);
    as(tenant, "admin").get(MEMBERSHIP + "/tiers").then().body("tiers", hasSize(4));
    as(tenant, "admin").get(member(id)).then().body("points_balance", equalTo(10));
    assertEquals(0, scalar("SELECT count(*) FROM points_ledger WHERE tenant_id = ?", other));
  }

  @Test
  void tiersDefaultAndCanBeReplaced() {
    String tenant = InternalTokens.newTenant("tiers");
    as(tenant, "analyst").get(MEMBERSHIP + "/tiers").then().statusCode(200)
        .body("tiers.name", contains("普通会员", "银卡", "金卡", "钻石"))
        .body("period_days", equalTo(365)).body("grace_days", equalTo(30));
    as(tenant, "admin").body(customTiers().replace("\"min_spend\": 0", "\"min_spend\": 10"))
        .put(MEMBERSHIP + "/tiers").then().statusCode(400).body("errors[0].field", equalTo("tiers[0].min_spend"));
    as(tenant, "admin").body(customTiers().replace("\"min_spend\": 500", "\"min_spend\": 0"))
        .put(MEMBERSHIP + "/tiers").then().statusCode(400);
    as(tenant, "admin").body(customTiers()).put(MEMBERSHIP + "/tiers").then().statusCode(200);
    as(tenant, "admin").get(MEMBERSHIP + "/tiers").then().body("tiers.code", contains("basic", "vip"))
        .body("first_order_bonus", equalTo(0));
    long id = customer(tenant, "{\"name\": \"T\"}");
    JsonPath r = event(tenant, "v1", "order.completed", id, "V-1", "2024-01-05T00:00:00Z", "{\"total_amount\": 600}");
    assertEquals("vip", r.getString("tier"));
    assertEquals(300, r.getLong("points")); // 600 x 0.5, no first-order bonus here
  }

  static String customTiers() {
    return """
        {"period_days": 180, "grace_days": 10, "first_order_bonus": 0, "birthday_multiplier": 1.5,
         "tiers": [
           {"code": "basic", "name": "会员", "min_spend": 0, "points_multiplier": 0.5, "birthday_coupon": false,
            "free_shipping": false},
           {"code": "vip", "name": "VIP", "min_spend": 500, "points_multiplier": 1, "birthday_coupon": true,
            "free_shipping": true}]}""";
  }

  private static String jdbcTier(String tenant, long id) {
    return scalar("SELECT count(*) FROM membership WHERE tenant_id = ? AND customer_id = ? AND tier = 'normal'",
        tenant, id) == 1 ? "normal" : "other";
  }
}
