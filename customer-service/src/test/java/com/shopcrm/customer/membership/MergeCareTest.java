package com.shopcrm.customer.membership;

import static com.shopcrm.customer.CareCalls.as;
import static com.shopcrm.customer.CareCalls.customer;
import static com.shopcrm.customer.CareCalls.scalar;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/** Merging two customers also merges their points, tiers and service tickets (docs/CUSTOMER_CARE.md). */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_customer_test"))
class MergeCareTest {

  static final String MEMBERSHIP = "/api/v1/customers/membership";
  static final String TICKETS = "/api/v1/customers/tickets";

  static void completed(String tenant, String eventId, long customerId, String orderNo, String amount) {
    as(tenant, "integration").body("""
            {"event_id": "%s", "type": "order.completed", "customer_id": %d, "order_no": "%s",
             "occurred_at": "%s", "payload": {"total_amount": %s}}""".formatted(eventId, customerId, orderNo,
            java.time.OffsetDateTime.now().minusDays(1), amount))
        .post(MEMBERSHIP + "/order-events").then().statusCode(200).body("result", equalTo("earned"));
  }

  static long ticket(String tenant, long customerId) {
    return as(tenant, "agent").body("""
            {"customer_id": %d, "channel": "online_chat", "categories": ["logistics"], "subject": "where is it",
             "description": "parcel late"}""".formatted(customerId))
        .post(TICKETS).then().statusCode(201).extract().jsonPath().getLong("id");
  }

  static JsonPath membership(String tenant, long id) {
    return as(tenant, "admin").get("/api/v1/customers/" + id + "/membership").then().statusCode(200)
        .extract().jsonPath();
  }

  @Test
  void mergeAddsUpPointsKeepsTheBetterTierAndMovesTickets() {
    String tenant = InternalTokens.newTenant("mergecare");
    long survivor = customer(tenant, "{\"name\": \"Li Na\", \"phone\": \"13800000001\"}");
    long loser = customer(tenant, "{\"name\": \"李娜\", \"phone\": \"13800000001\"}");
    // survivor: 300 CNY -> normal tier, 300 + 100 first-order bonus = 400 points, then redeems 50
    completed(tenant, "e-s1", survivor, "S-1", "300");
    as(tenant, "agent").header("Idempotency-Key", "r-1").body("{\"points\": 50}")
        .post("/api/v1/customers/" + survivor + "/points/redeem").then().statusCode(201);
    // loser: 6000 CNY -> gold (straight up), points 6000 x 1.0 + 100 bonus = 6100, plus 20 adjusted
    completed(tenant, "e-l1", loser, "L-1", "6000");
    as(tenant, "admin").body("{\"points\": 20, \"reason\": \"goodwill\"}")
        .post("/api/v1/customers/" + loser + "/points/adjust").then().statusCode(201);
    long survivorBalance = membership(tenant, survivor).getLong("points_balance");
    long loserBalance = membership(tenant, loser).getLong("points_balance");
    assertEquals(350, survivorBalance);
    assertEquals(6120, loserBalance);
    assertEquals("gold", membership(tenant, loser).getString("tier"));
    long loserTicket = ticket(tenant, loser);
    long survivorTicket = ticket(tenant, survivor);

    as(tenant, "admin").body("{\"survivor_id\": " + survivor + ", \"merged_id\": " + loser + "}")
        .post("/api/v1/customers/merge").then().statusCode(200);

    JsonPath merged = membership(tenant, survivor);
    assertEquals(survivorBalance + loserBalance, merged.getLong("points_balance"));
    assertEquals("gold", merged.getString("tier"));
    assertEquals(2, merged.getInt("orders_completed"));
    assertEquals(6300.0, merged.getDouble("lifetime_spend"), 0.001);
    // the cached balance is still the sum of the (moved) ledger, and nothing is left on the loser
    assertEquals(survivorBalance + loserBalance,
        scalar("SELECT sum(points) FROM points_ledger WHERE tenant_id = ? AND customer_id = ?", tenant, survivor));
    assertEquals(0, scalar("SELECT count(*) FROM points_ledger WHERE tenant_id = ? AND customer_id = ?", tenant, loser));
    assertEquals(0, scalar("SELECT count(*) FROM membership WHERE tenant_id = ? AND customer_id = ?", tenant, loser));
    as(tenant, "admin").get("/api/v1/customers/" + survivor + "/membership/history").then().statusCode(200)
        .body("items[0].reason", equalTo("merge"))
        .body("items[0].from_tier", equalTo("normal"))
        .body("items[0].to_tier", equalTo("gold"));
    // points move with their lots: a redemption now can spend the loser's points
    as(tenant, "agent").header("Idempotency-Key", "r-2").body("{\"points\": 6000}")
        .post("/api/v1/customers/" + survivor + "/points/redeem").then().statusCode(201)
        .body("points_balance", equalTo((int) (survivorBalance + loserBalance - 6000)));
    // a later refund of the loser's order lands on the survivor
    as(tenant, "integration").body("""
            {"event_id": "e-l2", "type": "order.refunded", "customer_id": %d, "order_no": "L-1",
             "occurred_at": "%s", "payload": {"refunded_amount": 100}}""".formatted(loser,
            java.time.OffsetDateTime.now()))
        .post(MEMBERSHIP + "/order-events").then().statusCode(200).body("customer_id", equalTo((int) survivor));

    // tickets: both now belong to the survivor, the moved one says so in its internal timeline
    as(tenant, "agent").get(TICKETS + "/" + loserTicket).then().statusCode(200)
        .body("customer_id", equalTo((int) survivor));
    as(tenant, "agent").get(TICKETS + "/" + survivorTicket).then().statusCode(200)
        .body("customer_id", equalTo((int) survivor));
    as(tenant, "agent").get(TICKETS + "?customer_id=" + survivor).then().statusCode(200)
        .body("items.size()", equalTo(2));
    as(tenant, "agent").get(TICKETS + "/" + loserTicket + "/timeline").then().statusCode(200)
        .body("items.kind", hasItem("customer_merged"));
  }

  @Test
  void survivorKeepsItsTierWhenItIsBetterAndALoserWithoutMembershipChangesNothing() {
    String tenant = InternalTokens.newTenant("mergecare2");
    long survivor = customer(tenant, "{\"name\": \"Wang\"}");
    long loser = customer(tenant, "{\"name\": \"王\"}");
    long bare = customer(tenant, "{\"name\": \"王 (no orders)\"}");
    completed(tenant, "e-s", survivor, "S-9", "1500");   // silver: 1500 x 1.0 + 100 = 1600
    completed(tenant, "e-l", loser, "L-9", "200");       // normal: 200 + 100 = 300
    as(tenant, "admin").body("{\"survivor_id\": " + survivor + ", \"merged_id\": " + loser + "}")
        .post("/api/v1/customers/merge").then().statusCode(200);
    JsonPath merged = membership(tenant, survivor);
    assertEquals("silver", merged.getString("tier"));
    assertEquals(1900, merged.getLong("points_balance"));
    assertEquals(0, scalar("SELECT count(*) FROM membership_tier_change WHERE tenant_id = ? AND reason = 'merge'",
        tenant));

    as(tenant, "admin").body("{\"survivor_id\": " + survivor + ", \"merged_id\": " + bare + "}")
        .post("/api/v1/customers/merge").then().statusCode(200);
    assertEquals(1900, membership(tenant, survivor).getLong("points_balance"));
  }
}
