package com.shopcrm.customer.ticket;

import static com.shopcrm.customer.CareCalls.as;
import static com.shopcrm.customer.CareCalls.customer;
import static com.shopcrm.customer.CareCalls.scalar;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_customer_test"))
class TicketTest {

  static final String TICKETS = "/api/v1/customers/tickets";

  static JsonPath open(String tenant, long customerId, String categories, String priority) {
    return as(tenant, "agent").body("""
            {"customer_id": %d, "order_no": "T-100", "channel": "online_chat", "categories": %s,
             "priority": "%s", "subject": "包裹还没到", "description": "电话 13812345678, 邮箱 zhang@example.com",
             "attachments": ["https://img.example.com/1.jpg"]}""".formatted(customerId, categories, priority))
        .post(TICKETS).then().statusCode(201).extract().jsonPath();
  }

  static void move(String tenant, long id, String status, int expected) {
    as(tenant, "agent").body("{\"status\": \"" + status + "\"}").post(TICKETS + "/" + id + "/status").then()
        .statusCode(expected);
  }

  static Duration between(JsonPath t, String from, String to) {
    return Duration.between(OffsetDateTime.parse(t.getString(from)), OffsetDateTime.parse(t.getString(to)));
  }

  @Test
  void ticketFlowWithReclassificationAndReopen() {
    String tenant = InternalTokens.newTenant("ticket");
    long customer = customer(tenant, "{\"name\": \"买家\"}");
    JsonPath created = open(tenant, customer, "[\"logistics\"]", "normal");
    long id = created.getLong("id");
    assertEquals("open", created.getString("status"));
    assertEquals(Duration.ofHours(8), between(created, "created_at", "first_response_due"));
    assertEquals(Duration.ofHours(72), between(created, "created_at", "resolution_due"));
    assertEquals(false, created.getBoolean("breached"));

    // The buyer picked the wrong category: the agent reclassifies without closing the case.
    JsonPath patched = as(tenant, "agent").body("""
        {"categories": ["quality", "wrong_item"], "priority": "high", "assignee": "agent-7"}""")
        .patch(TICKETS + "/" + id).then().statusCode(200)
        .body("status", equalTo("open")).body("categories", contains("quality", "wrong_item"))
        .body("assignee", equalTo("agent-7")).extract().jsonPath();
    assertEquals(Duration.ofHours(2), between(patched, "created_at", "first_response_due"));
    as(tenant, "agent").body("{\"categories\": []}").patch(TICKETS + "/" + id).then().statusCode(400);
    as(tenant, "agent").body("{\"categories\": [\"teleport\"]}").patch(TICKETS + "/" + id).then().statusCode(400);

    move(tenant, id, "closed", 409);
    move(tenant, id, "in_progress", 200);
    as(tenant, "admin").get(TICKETS + "/" + id).then().body("first_response_at", notNullValue());
    as(tenant, "integration").body("{\"rating\": 5}").post(TICKETS + "/" + id + "/satisfaction").then().statusCode(409);
    move(tenant, id, "in_progress", 409);
    move(tenant, id, "waiting_customer", 200);
    move(tenant, id, "resolved", 200);
    as(tenant, "integration").body("{\"rating\": 4, \"comment\": \"快\"}").post(TICKETS + "/" + id + "/satisfaction")
        .then().statusCode(201).body("satisfaction.rating", equalTo(4));
    move(tenant, id, "closed", 200);
    as(tenant, "agent").body("{\"status\": \"open\", \"note\": \"还是坏的\"}").post(TICKETS + "/" + id + "/status")
        .then().statusCode(200).body("status", equalTo("open")).body("reopen_count", equalTo(1))
        .body("resolved_at", nullValue()).body("closed_at", nullValue());
    as(tenant, "agent").body("{\"body\": \"已补发\", \"public\": true}").post(TICKETS + "/" + id + "/comments").then()
        .statusCode(201).body("kind", equalTo("comment")).body("public", equalTo(true));
    as(tenant, "agent").body("{\"body\": \"内部备注\", \"public\": false}").post(TICKETS + "/" + id + "/comments").then()
        .statusCode(201);

    as(tenant, "admin").get(TICKETS + "/" + id + "/timeline").then().statusCode(200)
        .body("items.kind", contains("created", "reclassified", "priority_changed", "assigned", "status_changed",
            "status_changed", "status_changed", "satisfaction", "status_changed", "reopened", "comment", "comment"))
        .body("items[1].data.from", contains("logistics"));
    as(tenant, "integration").queryParam("visibility", "public").get(TICKETS + "/" + id + "/timeline").then()
        .body("items.kind", not(hasItems("assigned"))).body("items.body", not(hasItems("内部备注")));
    as(tenant, "admin").queryParam("category", "quality").get(TICKETS).then().body("items.id", contains((int) id));
    as(tenant, "admin").queryParam("category", "logistics").get(TICKETS).then().body("items", empty());
    as(tenant, "admin").queryParam("assignee", "agent-7").queryParam("priority", "high").get(TICKETS).then()
        .body("items.id", contains((int) id));
    as(tenant, "admin").queryParam("status", "nope").get(TICKETS).then().statusCode(400);
  }

  @Test
  void firstResponseIsThePublicAgentComment() {
    String tenant = InternalTokens.newTenant("ticket");
    long id = open(tenant, customer(tenant, "{\"name\": \"C\"}"), "[\"consultation\"]", "low").getLong("id");
    as(tenant, "integration").body("{\"body\": \"在吗\", \"public\": true}").post(TICKETS + "/" + id + "/comments")
        .then().statusCode(201);
    as(tenant, "agent").body("{\"body\": \"查一下\", \"public\": false}").post(TICKETS + "/" + id + "/comments").then()
        .statusCode(201);
    as(tenant, "admin").get(TICKETS + "/" + id).then().body("first_response_at", nullValue());
    as(tenant, "agent").header("Idempotency-Key", "c-1").body("{\"body\": \"您好\", \"public\": true}")
        .post(TICKETS + "/" + id + "/comments").then().statusCode(201);
    as(tenant, "agent").header("Idempotency-Key", "c-1").body("{\"body\": \"您好\", \"public\": true}")
        .post(TICKETS + "/" + id + "/comments").then().statusCode(201).header("Idempotent-Replayed", "true");
    as(tenant, "admin").get(TICKETS + "/" + id).then().body("first_response_at", notNullValue())
        .body("status", equalTo("open"));
    assertEquals(3, scalar("SELECT count(*) FROM ticket_timeline WHERE tenant_id = ? AND kind = 'comment'", tenant));
  }

  @Test
  void slaBreachIsFlaggedByTheScanWithOneEventEach() {
    String tenant = InternalTokens.newTenant("sla");
    long customer = customer(tenant, "{\"name\": \"S\"}");
    long id = open(tenant, customer, "[\"quality\"]", "urgent").getLong("id"); // 30 min / 8 h
    long calm = open(tenant, customer, "[\"invoice\"]", "low").getLong("id");
    String inAnHour = OffsetDateTime.now().plusHours(1).toString();
    as(tenant, "admin").body("{\"as_of\": \"" + inAnHour + "\"}").post(TICKETS + "/sla/scan").then().statusCode(200);
    as(tenant, "admin").get(TICKETS + "/" + id).then().body("first_response_breached", equalTo(true))
        .body("resolution_breached", equalTo(false)).body("breached", equalTo(true));
    as(tenant, "admin").get(TICKETS + "/" + calm).then().body("breached", equalTo(false));
    as(tenant, "admin").queryParam("breached", "true").get(TICKETS).then().body("items.id", contains((int) id));
    as(tenant, "admin").queryParam("breached", "false").get(TICKETS).then().body("items.id", contains((int) calm));
    assertEquals(1, scalar("SELECT count(*) FROM ticket_event WHERE tenant_id = ? AND type = 'ticket.sla_breached'"
        + " AND payload->>'breach' = 'first_response'", tenant));
    as(tenant, "admin").body("{\"as_of\": \"" + inAnHour + "\"}").post(TICKETS + "/sla/scan").then()
        .body("first_response_breaches", equalTo(0));
    as(tenant, "admin").body("{\"as_of\": \"" + OffsetDateTime.now().plusHours(9) + "\"}").post(TICKETS + "/sla/scan")
        .then().body("resolution_breaches", equalTo(1));
    assertEquals(2, scalar("SELECT count(*) FROM ticket_event WHERE tenant_id = ? AND ticket_id = ?", tenant, id));
    assertEquals(2, scalar("SELECT count(*) FROM ticket_timeline WHERE tenant_id = ? AND kind = 'sla_breached'", tenant));
    as(tenant, "agent").body("{}").post(TICKETS + "/sla/scan").then().statusCode(403);
  }

  @Test
  void slaPolicyDefaultsAndCategoryOverrides() {
    String tenant = InternalTokens.newTenant("slap");
    as(tenant, "analyst").get(TICKETS + "/sla").then().statusCode(200)
        .body("priorities.urgent.first_response_minutes", equalTo(30));
    as(tenant, "admin").body("{\"priorities\": {\"asap\": {\"first_response_minutes\": 1, \"resolution_minutes\": 2}}}")
        .put(TICKETS + "/sla").then().statusCode(400).body("errors[0].field", equalTo("priorities.asap"));
    as(tenant, "agent").body("{\"priorities\": {}}").put(TICKETS + "/sla").then().statusCode(403);
    as(tenant, "admin").body("{\"priorities\": {\"normal\": {\"first_response_minutes\": 240, \"resolution_minutes\":"
        + " 2880}}, \"categories\": {\"quality\": {\"first_response_minutes\": 60}}}").put(TICKETS + "/sla").then()
        .statusCode(200).body("priorities.low.first_response_minutes", equalTo(1440));
    long customer = customer(tenant, "{\"name\": \"P\"}");
    JsonPath quality = open(tenant, customer, "[\"logistics\", \"quality\"]", "normal");
    assertEquals(Duration.ofMinutes(60), between(quality, "created_at", "first_response_due"));
    assertEquals(Duration.ofMinutes(2880), between(quality, "created_at", "resolution_due"));
  }

  @Test
  void analystReadsMaskedAndCannotWrite() {
    String tenant = InternalTokens.newTenant("mask");
    long customer = customer(tenant, "{\"name\": \"M\"}");
    long id = open(tenant, customer, "[\"refund\"]", "normal").getLong("id");
    as(tenant, "agent").body("{\"body\": \"回拨 13812345678\", \"public\": true}").post(TICKETS + "/" + id + "/comments");
    as(tenant, "analyst").get(TICKETS + "/" + id).then().statusCode(200)
        .body("description", equalTo("电话 138****5678, 邮箱 z***@example.com"));
    as(tenant, "analyst").get(TICKETS + "/" + id + "/timeline").then().body("items[1].body", equalTo("回拨 138****5678"));
    as(tenant, "analyst").get(TICKETS).then().body("items[0].description", containsString("138****5678"));
    as(tenant, "agent").get(TICKETS + "/" + id).then().body("description", containsString("13812345678"));
    as(tenant, "marketer").get(TICKETS + "/" + id).then().statusCode(200);

    String body = "{\"customer_id\": " + customer + ", \"channel\": \"phone\", \"categories\": [\"other\"],"
        + " \"subject\": \"s\", \"description\": \"d\"}";
    as(tenant, "analyst").body(body).post(TICKETS).then().statusCode(403);
    as(tenant, "marketer").body(body).post(TICKETS).then().statusCode(403);
    as(tenant, "analyst").body("{\"priority\": \"low\"}").patch(TICKETS + "/" + id).then().statusCode(403);
    as(tenant, "integration").body("{\"priority\": \"low\"}").patch(TICKETS + "/" + id).then().statusCode(403);
    as(tenant, "analyst").body("{\"status\": \"in_progress\"}").post(TICKETS + "/" + id + "/status").then()
        .statusCode(403);
    as(tenant, "analyst").body("{\"body\": \"x\", \"public\": true}").post(TICKETS + "/" + id + "/comments").then()
        .statusCode(403);
    as(tenant, "analyst").body("{\"rating\": 1}").post(TICKETS + "/" + id + "/satisfaction").then().statusCode(403);
    as(tenant, "agent").body(body.replace("\"phone\"", "\"fax\"")).post(TICKETS).then().statusCode(400)
        .body("errors[0].field", equalTo("channel"));
    as(tenant, "agent").body(body.replace("[\"other\"]", "[]")).post(TICKETS).then().statusCode(400);
    assertEquals(1, scalar("SELECT count(*) FROM ticket WHERE tenant_id = ?", tenant));
  }

  @Test
  void otherTenantSeesNotFound() {
    String tenant = InternalTokens.newTenant("tiso");
    String other = InternalTokens.newTenant("tiso");
    long customer = customer(tenant, "{\"name\": \"I\"}");
    long id = open(tenant, customer, "[\"refund\"]", "normal").getLong("id");
    String path = TICKETS + "/" + id;
    as(other, "admin").get(path).then().statusCode(404);
    as(other, "admin").body("{\"priority\": \"low\"}").patch(path).then().statusCode(404);
    as(other, "admin").body("{\"status\": \"in_progress\"}").post(path + "/status").then().statusCode(404);
    as(other, "admin").body("{\"body\": \"x\", \"public\": true}").post(path + "/comments").then().statusCode(404);
    as(other, "admin").get(path + "/timeline").then().statusCode(404);
    as(other, "admin").body("{\"rating\": 1}").post(path + "/satisfaction").then().statusCode(404);
    as(other, "admin").get(TICKETS).then().statusCode(200).body("items", empty());
    as(other, "admin").body("{\"customer_id\": " + customer + ", \"channel\": \"phone\", \"categories\": [\"other\"],"
        + " \"subject\": \"s\", \"description\": \"d\"}").post(TICKETS).then().statusCode(404);
    as(other, "admin").get(TICKETS + "/kpis").then().statusCode(200).body("overall.tickets", equalTo(0));
    as(other, "admin").body("{\"as_of\": \"" + OffsetDateTime.now().plusDays(30) + "\"}").post(TICKETS + "/sla/scan")
        .then().statusCode(200).body("resolution_breaches", equalTo(0));
    as(tenant, "admin").get(path).then().body("breached", equalTo(false));
  }

  @Test
  void kpisSummariseResponseResolutionBreachesAndSatisfaction() {
    String tenant = InternalTokens.newTenant("kpi");
    long customer = customer(tenant, "{\"name\": \"K\"}");
    long a = open(tenant, customer, "[\"logistics\", \"refund\"]", "normal").getLong("id");
    open(tenant, customer, "[\"logistics\"]", "low");
    move(tenant, a, "in_progress", 200);
    move(tenant, a, "resolved", 200);
    as(tenant, "integration").body("{\"rating\": 4}").post(TICKETS + "/" + a + "/satisfaction").then().statusCode(201);
    as(tenant, "analyst").queryParam("orders", "200").get(TICKETS + "/kpis").then().statusCode(200)
        .body("overall.tickets", equalTo(2)).body("overall.satisfaction_avg", equalTo(4.0f))
        .body("overall.satisfaction_count", equalTo(1)).body("overall.breach_rate", equalTo(0.0f))
        .body("overall.first_response_minutes_p50", notNullValue())
        .body("tickets_per_100_orders", equalTo(1.0f))
        .body("by_category.category", contains("logistics", "refund"))
        .body("by_category[0].figures.tickets", equalTo(2));
    as(tenant, "admin").get(TICKETS + "/kpis").then().body("note", containsString("orders"))
        .body("tickets_per_100_orders", nullValue());
    as(tenant, "admin").queryParam("from", "yesterday").get(TICKETS + "/kpis").then().statusCode(400);
    as(tenant, "integration").get(TICKETS + "/kpis").then().statusCode(403);
  }
}
