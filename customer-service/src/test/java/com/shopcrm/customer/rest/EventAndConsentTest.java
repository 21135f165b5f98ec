package com.shopcrm.customer.rest;

import static com.shopcrm.customer.rest.Api.CUSTOMERS;
import static com.shopcrm.customer.rest.Api.admin;
import static com.shopcrm.customer.rest.Api.as;
import static com.shopcrm.customer.rest.Api.count;
import static com.shopcrm.customer.rest.Api.create;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
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
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_customer_test"))
class EventAndConsentTest {

  @Test
  void eventsListNewestFirstWithCursor() {
    String tenant = InternalTokens.newTenant("events");
    long id = create(tenant, "{\"name\": \"E\"}");
    String events = CUSTOMERS + "/" + id + "/events";
    admin(tenant).body("{\"type\": \"view\", \"occurred_at\": \"2024-03-01T10:00:00+08:00\","
        + " \"properties\": {\"sku\": \"A-1\"}}").post(events).then().statusCode(201)
        .body("id", notNullValue()).body("customer_id", equalTo((int) id)).body("properties.sku", equalTo("A-1"));
    admin(tenant).body("{\"type\": \"cart_add\", \"occurred_at\": \"2024-03-03T10:00:00Z\"}").post(events).then()
        .statusCode(201);
    admin(tenant).body("{\"type\": \"favourite\", \"occurred_at\": \"2024-03-02T10:00:00Z\"}").post(events).then()
        .statusCode(201);
    admin(tenant).body("{\"type\": \"consult\"}").post(events).then().statusCode(201);

    List<String> types = new ArrayList<>();
    String cursor = null;
    do {
      var spec = as(tenant, "analyst").queryParam("limit", 3);
      if (cursor != null) {
        spec.queryParam("cursor", cursor);
      }
      JsonPath page = spec.get(events).then().statusCode(200).extract().jsonPath();
      types.addAll(page.getList("items.type", String.class));
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    assertEquals(List.of("consult", "cart_add", "favourite", "view"), types);
    admin(tenant).queryParam("type", "view").get(events).then().body("items.type", contains("view"));
    admin(tenant).queryParam("type", "buy").get(events).then().statusCode(400);
  }

  @Test
  void rejectsBadEvents() {
    String tenant = InternalTokens.newTenant("events");
    long id = create(tenant, "{\"name\": \"E\"}");
    String events = CUSTOMERS + "/" + id + "/events";
    admin(tenant).body("{\"type\": \"purchase\"}").post(events).then().statusCode(400)
        .body("errors[0].field", equalTo("type"));
    admin(tenant).body("{}").post(events).then().statusCode(400).body("errors[0].field", equalTo("type"));
    admin(tenant).body("{\"type\": \"view\", \"occurred_at\": \"2999-01-01T00:00:00Z\"}").post(events).then()
        .statusCode(400).body("errors[0].field", equalTo("occurred_at"));
    admin(tenant).body("{\"type\": \"view\", \"properties\": \"x\"}").post(events).then().statusCode(400)
        .body("errors[0].field", equalTo("properties"));
    admin(tenant).body("{\"type\": \"view\"}").post(CUSTOMERS + "/999999999/events").then().statusCode(404);
    assertEquals(0, count("SELECT count(*) FROM customer_event WHERE tenant_id = ?", tenant));
  }

  @Test
  void recordsEventsInBulkByIdOrExternalId() {
    String tenant = InternalTokens.newTenant("events");
    long a = create(tenant, "{\"name\": \"A\", \"external_id\": \"x-1\", \"platform\": \"taobao\"}");
    long b = create(tenant, "{\"name\": \"B\"}");
    admin(tenant).header("Idempotency-Key", "ev-1").body("""
            {"events": [
              {"customer_id": %d, "type": "view"},
              {"external_id": "x-1", "platform": "taobao", "type": "cart_abandon", "properties": {"sku": "S"}},
              {"external_id": "x-1", "type": "view"},
              {"customer_id": %d, "external_id": "x-1", "type": "view"},
              {"customer_id": %d, "type": "teleport"},
              {"customer_id": 999999999, "type": "view"}
            ]}""".formatted(b, a, b))
        .post(CUSTOMERS + "/events/batch").then().statusCode(200)
        .body("results.status", contains("created", "created", "error", "error", "error", "error"))
        .body("results[2].error", containsString("external_id"))
        .body("results[5].error", containsString("does not exist"));
    assertEquals(1, count("SELECT count(*) FROM customer_event WHERE tenant_id = ? AND customer_id = ?", tenant, a));
    assertEquals(1, count("SELECT count(*) FROM customer_event WHERE tenant_id = ? AND customer_id = ?", tenant, b));
    admin(tenant).header("Idempotency-Key", "ev-1").body("{\"events\": [{\"customer_id\": " + b
        + ", \"type\": \"view\"}]}").post(CUSTOMERS + "/events/batch").then().statusCode(422);
    assertEquals(2, count("SELECT count(*) FROM customer_event WHERE tenant_id = ?", tenant));
  }

  @Test
  void consentIsKeptPerChannelWithHistory() {
    String tenant = InternalTokens.newTenant("consent");
    long id = create(tenant, "{\"name\": \"C\"}");
    String consent = CUSTOMERS + "/" + id + "/consent";
    admin(tenant).get(consent).then().statusCode(200)
        .body("consent_model", equalTo("implied"))
        .body("channels.channel", contains("sms", "email", "app"))
        .body("channels.contactable", contains(true, true, true))
        .body("channels.granted", contains(null, null, null));
    admin(tenant).body("{\"channel\": \"sms\", \"granted\": false, \"source\": \"回T退订\"}").put(consent).then()
        .statusCode(200)
        .body("channels[0].granted", equalTo(false))
        .body("channels[0].contactable", equalTo(false))
        .body("channels[0].source", equalTo("回T退订"))
        .body("channels[0].updated_at", notNullValue());
    admin(tenant).body("{\"channel\": \"sms\", \"granted\": true}").put(consent).then().statusCode(200);
    admin(tenant).body("{\"channel\": \"email\", \"granted\": true, \"source\": \"checkout\"}").put(consent);
    as(tenant, "analyst").get(consent).then().statusCode(200)
        .body("channels.granted", contains(true, true, null))
        .body("channels.contactable", contains(true, true, true))
        .body("history", hasSize(3))
        .body("history.channel", contains("email", "sms", "sms"))
        .body("history[1].source", nullValue())
        .body("history[2].granted", equalTo(false));
    admin(tenant).body("{\"channel\": \"fax\", \"granted\": true}").put(consent).then().statusCode(400)
        .body("errors[0].field", equalTo("channel"));
    admin(tenant).body("{\"channel\": \"sms\", \"granted\": \"yes\"}").put(consent).then().statusCode(400)
        .body("errors[0].field", equalTo("granted"));
    admin(tenant).body("{\"channel\": \"sms\"}").put(consent).then().statusCode(400)
        .body("errors[0].field", equalTo("granted"));
    assertEquals(3, count("SELECT count(*) FROM consent_history WHERE tenant_id = ?", tenant));
  }
}
