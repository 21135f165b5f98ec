package com.shopcrm.customer.privacy;

import static com.shopcrm.customer.CareCalls.as;
import static com.shopcrm.customer.CareCalls.customer;
import static com.shopcrm.customer.CareCalls.scalar;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Personal-data export and erasure orchestrated by customer-service, against stand-ins for the other
 * services ({@link FakePeerServices}) and the real database: what the export gathers and who may have
 * it; the erasure of everything held here in the request's transaction, recorded and answered 202;
 * one service down during the call and completed once it is back; order-service first; a repeat
 * changing nothing; the old contacts matching nobody; another tenant seeing nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_customer_test"))
@QuarkusTestResource(value = FakePeerServices.class, restrictToAnnotatedClass = true)
class CustomerPrivacyTest {

  static final String CUSTOMERS = "/api/v1/customers";

  @Inject
  ErasureRelay relay;

  static String fake() {
    return ConfigProvider.getConfig().getValue("crm.test.fake-peers", String.class);
  }

  static void down(String service) {
    given().post(fake() + "/_fake/down?service=" + service).then().statusCode(200);
  }

  static void up(String service) {
    given().post(fake() + "/_fake/up?service=" + service).then().statusCode(200);
  }

  @AfterEach
  void allUp() {
    for (String service : List.of("order", "scoring", "campaign")) {
      up(service);
    }
  }

  static List<Map<String, Object>> calls(String tenant) {
    return given().get(fake() + "/_fake/calls?tenant=" + tenant).then().statusCode(200).extract().jsonPath()
        .getList("calls");
  }

  static long calls(String tenant, String service, String pathEnd) {
    return calls(tenant).stream()
        .filter(c -> service.equals(c.get("service")) && ((String) c.get("path")).endsWith(pathEnd)).count();
  }

  /** A customer with an identity, contacts, a tag, an event, consent, points and a ticket. */
  static long richCustomer(String tenant) {
    long id = customer(tenant, """
        {"platform": "taobao", "external_id": "tb-%s", "name": "张三", "phone": "15212343170",
         "email": "zhang@example.com", "province": "浙江省", "city": "杭州市", "tags": ["vip"]}""".formatted(tenant));
    as(tenant, "admin").header("Idempotency-Key", "event-" + id)
        .body("{\"type\": \"view\", \"properties\": {\"sku\": \"A-1\", \"note\": \"zhang@example.com\"}}")
        .post(CUSTOMERS + "/" + id + "/events").then().statusCode(201);
    as(tenant, "admin").body("{\"channel\": \"sms\", \"granted\": false, \"source\": \"回T退订\"}")
        .put(CUSTOMERS + "/" + id + "/consent").then().statusCode(200);
    as(tenant, "admin").body("{\"points\": 100, \"reason\": \"welcome\"}")
        .post(CUSTOMERS + "/" + id + "/points/adjust").then().statusCode(201);
    as(tenant, "agent").header("Idempotency-Key", "ticket-" + id).body("""
            {"customer_id": %d, "channel": "online_chat", "categories": ["consultation"], "priority": "normal",
             "subject": "包裹还没到", "description": "电话 15212343170"}""".formatted(id))
        .post(CUSTOMERS + "/tickets").then().statusCode(201);
    return id;
  }

  static long held(String table, String tenant, long id) {
    return scalar("SELECT count(*) FROM " + table + " WHERE tenant_id = ? AND customer_id = ?", tenant, id);
  }

  /** Runs the relay until the erasure is completed (10 s at most); the retries back off 100..400 ms. */
  JsonPath runUntilCompleted(String tenant, long id) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      relay.run().await().indefinitely();
      JsonPath status = as(tenant, "admin").get(CUSTOMERS + "/" + id + "/erase").then().statusCode(200)
          .extract().jsonPath();
      if ("completed".equals(status.getString("status"))) {
        return status;
      }
      try {
        Thread.sleep(150);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    fail("erasure of " + id + " did not complete");
    return null;
  }

  // ---------------------------------------------------------------- export

  @Test
  void exportGathersEveryServiceForAdminAndAgentOnly() {
    String tenant = InternalTokens.newTenant("privacy");
    long id = richCustomer(tenant);

    as(tenant, "admin").get(CUSTOMERS + "/" + id + "/export").then().statusCode(200)
        .body("customer_id", equalTo((int) id))
        .body("exported_at", notNullValue())
        .body("customer_service.profile.name", equalTo("张三"))
        .body("customer_service.profile.phone", equalTo("15212343170"))
        .body("customer_service.identities.external_id", contains("tb-" + tenant))
        .body("customer_service.tags.tag", contains("vip"))
        .body("customer_service.events", hasSize(1))
        .body("customer_service.consent[0].granted", equalTo(false))
        .body("customer_service.consent_history", hasSize(1))
        .body("customer_service.membership.points_balance", equalTo(100))
        .body("customer_service.points_ledger", hasSize(1))
        .body("customer_service.tickets[0].subject", equalTo("包裹还没到"))
        .body("customer_service.tickets[0].timeline", not(hasSize(0)))
        .body("order_service.orders[0].order_no", equalTo("F-1"))
        .body("scoring_service.scores[0].customer_id", equalTo((int) id))
        .body("campaign_service.campaign_messages[0].body", equalTo("张三, 10 off"));

    List<Map<String, Object>> calls = calls(tenant);
    assertEquals(3, calls.size(), "one export call per service");
    for (Map<String, Object> call : calls) {
      assertEquals("service:customer-service", call.get("subject"));
      assertEquals(List.of("integration"), call.get("groups"));
      assertEquals("/api/v1/privacy/customers/export", call.get("path"));
      assertEquals(Map.of("customer_ids", List.of((int) id),
          "identities", List.of(Map.of("platform", "taobao", "external_id", "tb-" + tenant))), call.get("body"));
    }

    as(tenant, "agent").get(CUSTOMERS + "/" + id + "/export").then().statusCode(200);
    as(tenant, "analyst").get(CUSTOMERS + "/" + id + "/export").then().statusCode(403);
    as(tenant, "marketer").get(CUSTOMERS + "/" + id + "/export").then().statusCode(403);
    as(InternalTokens.newTenant("other"), "admin").get(CUSTOMERS + "/" + id + "/export").then().statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  void exportIsRefusedWhileAServiceIsDown() {
    String tenant = InternalTokens.newTenant("privacy");
    long id = customer(tenant, "{\"name\": \"李四\"}");
    down("scoring");
    as(tenant, "admin").get(CUSTOMERS + "/" + id + "/export").then().statusCode(503)
        .contentType("application/problem+json")
        .body("detail", org.hamcrest.Matchers.containsString("scoring-service"));
    up("scoring");
    as(tenant, "admin").get(CUSTOMERS + "/" + id + "/export").then().statusCode(200);
  }

  // ---------------------------------------------------------------- erase

  @Test
  void eraseWithAServiceDownIsPendingThenCompletesAndLeavesNothingHere() {
    String tenant = InternalTokens.newTenant("privacy");
    long id = richCustomer(tenant);
    long merged = customer(tenant, "{\"name\": \"张三 (old)\", \"email\": \"zhang.old@example.com\"}");
    as(tenant, "admin").body("{\"survivor_id\": " + id + ", \"merged_id\": " + merged + "}")
        .post(CUSTOMERS + "/merge").then().statusCode(200);
    long other = customer(tenant, "{\"name\": \"王五\", \"phone\": \"13800000000\"}");
    assertEquals(2, scalar("SELECT count(*) FROM idempotency_key WHERE tenant_id = ?"
        + " AND (response_body LIKE '%15212343170%' OR response_body LIKE '%zhang@example.com%')", tenant));
    down("campaign");

    JsonPath first = as(tenant, "admin").post(CUSTOMERS + "/" + id + "/erase").then().statusCode(202)
        .header("Location", CUSTOMERS + "/" + id + "/erase")
        .body("customer_id", equalTo((int) id))
        .body("customer_ids", contains((int) Math.min(id, merged), (int) Math.max(id, merged)))
        .body("status", equalTo("pending"))
        .body("requested_by", equalTo("test-key"))
        .body("services.service", contains("customer-service", "order-service", "scoring-service", "campaign-service"))
        .body("services[0].status", equalTo("completed"))
        .body("services[0].outcome.profiles", equalTo(2))
        .body("services[0].outcome.tickets", equalTo(1))
        .extract().jsonPath();

    // everything held here is gone in the request's transaction
    for (long customer : new long[] {id, merged}) {
      assertEquals(0, scalar("SELECT count(*) FROM customer WHERE tenant_id = ? AND id = ?", tenant, customer));
      for (String table : List.of("customer_identity", "customer_tag", "customer_event", "customer_consent",
          "consent_history", "membership", "points_ledger", "ticket")) {
        assertEquals(0, held(table, tenant, customer), table);
      }
    }
    assertEquals(0, scalar("SELECT count(*) FROM idempotency_key WHERE tenant_id = ?"
        + " AND (response_body LIKE '%15212343170%' OR response_body LIKE '%zhang@example.com%')", tenant),
        "stored answers of the ticket and the event are gone");
    assertTrue(scalar("SELECT count(*) FROM audience_outbox WHERE tenant_id = ? AND customer_id = ?"
        + " AND event_type IS NULL", tenant, id) > 0, "the removal goes to campaign's read model");
    assertEquals(1, scalar("SELECT count(*) FROM customer WHERE tenant_id = ? AND id = ?", tenant, other));
    as(tenant, "admin").get(CUSTOMERS + "/" + id).then().statusCode(404);
    as(tenant, "admin").queryParam("q", "1521234").get(CUSTOMERS).then().statusCode(200).body("items", hasSize(0));
    as(tenant, "admin").get(CUSTOMERS + "/" + id + "/export").then().statusCode(404);
    assertEquals(1, scalar("SELECT count(*) FROM customer_erasure WHERE tenant_id = ? AND customer_id = ?"
        + " AND status = 'pending' AND identities IS NOT NULL", tenant, id));

    // the relay: order- and scoring-service acknowledge, campaign-service is down
    relay.run().await().indefinitely();
    as(tenant, "agent").get(CUSTOMERS + "/" + id + "/erase").then().statusCode(200)
        .body("status", equalTo("pending"))
        .body("services.status", contains("completed", "completed", "completed", "pending"))
        .body("services[1].outcome.service", equalTo("order-service"))
        .body("services[3].attempts", equalTo(1))
        .body("services[3].last_error", notNullValue())
        .body("services[3].next_attempt_at", notNullValue());
    // the identities went to order-service, with both ids
    Map<String, Object> orderCall = calls(tenant).stream()
        .filter(c -> "order".equals(c.get("service")) && ((String) c.get("path")).endsWith("/erase"))
        .findFirst().orElseThrow();
    assertEquals(Map.of("customer_ids", List.of((int) Math.min(id, merged), (int) Math.max(id, merged)),
        "identities", List.of(Map.of("platform", "taobao", "external_id", "tb-" + tenant))), orderCall.get("body"));

    // campaign-service back: completed, the identities no longer kept
    up("campaign");
    JsonPath done = runUntilCompleted(tenant, id);
    assertEquals(List.of("completed", "completed", "completed", "completed"), done.getList("services.status"));
    assertTrue(done.getInt("services[3].attempts") >= 2);
    assertEquals(1, scalar("SELECT count(*) FROM customer_erasure WHERE tenant_id = ? AND customer_id = ?"
        + " AND status = 'completed' AND completed_at IS NOT NULL AND identities IS NULL", tenant, id));
    assertEquals(1, calls(tenant, "order", "/erase"));
    assertEquals(1, calls(tenant, "scoring", "/erase"));
    assertEquals(1, calls(tenant, "campaign", "/erase"), "the calls refused while down never arrived");

    // a repeat answers the same erasure and calls nobody; the merged id finds it too
    long callsBefore = calls(tenant).size();
    as(tenant, "admin").post(CUSTOMERS + "/" + id + "/erase").then().statusCode(200)
        .body("status", equalTo("completed"))
        .body("requested_at", equalTo(first.getString("requested_at")));
    as(tenant, "admin").post(CUSTOMERS + "/" + merged + "/erase").then().statusCode(200)
        .body("customer_id", equalTo((int) id));
    relay.run().await().indefinitely();
    assertEquals(callsBefore, calls(tenant).size());
    assertEquals(4, scalar("SELECT count(*) FROM customer_erasure_step WHERE tenant_id = ? AND customer_id = ?",
        tenant, id));

    // the old contacts and identity match nobody: the same buyer again is a new customer
    long again = customer(tenant, """
        {"platform": "taobao", "external_id": "tb-%s", "name": "张三", "phone": "15212343170"}""".formatted(tenant));
    assertNotEquals(id, again);
    as(tenant, "admin").get(CUSTOMERS + "/" + again + "/duplicates").then().statusCode(200)
        .body("items", hasSize(0));
  }

  @Test
  void orderServiceAcknowledgesBeforeTheOthersAreCalled() {
    String tenant = InternalTokens.newTenant("privacy");
    long id = customer(tenant, "{\"name\": \"赵六\", \"external_id\": \"z6-" + tenant + "\"}");
    down("order");
    as(tenant, "admin").post(CUSTOMERS + "/" + id + "/erase").then().statusCode(202);
    relay.run().await().indefinitely();
    as(tenant, "admin").get(CUSTOMERS + "/" + id + "/erase").then().statusCode(200)
        .body("services.status", contains("completed", "pending", "pending", "pending"))
        .body("services.attempts", contains(1, 1, 0, 0));
    assertEquals(0, calls(tenant, "scoring", "/erase") + calls(tenant, "campaign", "/erase"));
    up("order");
    runUntilCompleted(tenant, id);
    assertEquals(1, calls(tenant, "scoring", "/erase"));
  }

  @Test
  void anotherTenantAndOtherRolesCannotEraseOrSee() {
    String tenant = InternalTokens.newTenant("privacy");
    long id = customer(tenant, "{\"name\": \"钱七\", \"phone\": \"13900000000\"}");
    String intruder = InternalTokens.newTenant("intruder");

    as(intruder, "admin").post(CUSTOMERS + "/" + id + "/erase").then().statusCode(404)
        .contentType("application/problem+json");
    as(intruder, "admin").get(CUSTOMERS + "/" + id + "/erase").then().statusCode(404);
    as(tenant, "marketer").post(CUSTOMERS + "/" + id + "/erase").then().statusCode(403);
    as(tenant, "agent").post(CUSTOMERS + "/" + id + "/erase").then().statusCode(403);
    as(tenant, "analyst").get(CUSTOMERS + "/" + id + "/erase").then().statusCode(403);
    as(tenant, "admin").get(CUSTOMERS + "/" + id + "/erase").then().statusCode(404)
        .contentType("application/problem+json");
    as(tenant, "admin").post(CUSTOMERS + "/999999999/erase").then().statusCode(404);
    assertEquals(1, scalar("SELECT count(*) FROM customer WHERE tenant_id = ? AND id = ? AND phone = '13900000000'",
        tenant, id));
    assertEquals(0, scalar("SELECT count(*) FROM customer_erasure WHERE customer_id = ?", id));
    assertEquals(0, calls(intruder).size() + calls(tenant).size());

    // erased in its own tenant: the other tenant still sees nothing
    as(tenant, "admin").post(CUSTOMERS + "/" + id + "/erase").then().statusCode(202);
    as(intruder, "admin").get(CUSTOMERS + "/" + id + "/erase").then().statusCode(404);
    as(intruder, "admin").post(CUSTOMERS + "/" + id + "/erase").then().statusCode(404);
  }
}
