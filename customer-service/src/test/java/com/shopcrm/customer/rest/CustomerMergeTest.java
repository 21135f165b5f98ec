package com.shopcrm.customer.rest;

import static com.shopcrm.customer.rest.Api.CUSTOMERS;
import static com.shopcrm.customer.rest.Api.admin;
import static com.shopcrm.customer.rest.Api.count;
import static com.shopcrm.customer.rest.Api.create;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_customer_test"))
class CustomerMergeTest {

  @Test
  void mergeMovesEverythingAndLeavesAPointer() {
    String tenant = InternalTokens.newTenant("merge");
    long survivor = create(tenant, """
        {"name": "Zhang Wei", "external_id": "tb-1", "platform": "taobao", "phone": "15212343170",
         "tags": ["vip"], "attributes": {"size": "L"}}""");
    long loser = create(tenant, """
        {"name": "张伟", "external_id": "jd-9", "platform": "jd", "phone": "+86 15212343170",
         "email": "zw@example.com", "city": "杭州", "tags": ["vip", "jd-buyer"],
         "attributes": {"size": "M", "shoe": 42}}""");
    admin(tenant).body("{\"type\": \"cart_add\", \"occurred_at\": \"2024-01-01T10:00:00+08:00\"}")
        .post(CUSTOMERS + "/" + loser + "/events").then().statusCode(201);
    admin(tenant).body("{\"channel\": \"sms\", \"granted\": false, \"source\": \"reply T\"}")
        .put(CUSTOMERS + "/" + loser + "/consent").then().statusCode(200);
    admin(tenant).get(CUSTOMERS + "/" + survivor + "/duplicates").then()
        .body("items.customer.id", contains((int) loser)).body("items[0].matched_on", contains("phone"));

    admin(tenant).body("{\"survivor_id\": " + survivor + ", \"merged_id\": " + loser + "}")
        .post(CUSTOMERS + "/merge").then().statusCode(200)
        .body("id", equalTo((int) survivor))
        .body("name", equalTo("Zhang Wei"))
        .body("email", equalTo("zw@example.com"))
        .body("city", equalTo("杭州"))
        .body("tags", contains("jd-buyer", "vip"))
        .body("attributes.size", equalTo("L"))
        .body("attributes.shoe", equalTo(42))
        .body("identities.external_id", containsInAnyOrder("tb-1", "jd-9"));

    admin(tenant).get(CUSTOMERS + "/" + loser).then().statusCode(410)
        .contentType("application/problem+json")
        .header("Location", endsWith(CUSTOMERS + "/" + survivor))
        .body("merged_into", equalTo((int) survivor))
        .body("status", equalTo(410));
    admin(tenant).body("{\"type\": \"view\"}").post(CUSTOMERS + "/" + loser + "/events").then().statusCode(410);
    admin(tenant).get(CUSTOMERS + "/" + survivor + "/events").then().statusCode(200)
        .body("items.type", contains("cart_add"));
    admin(tenant).get(CUSTOMERS + "/" + survivor + "/consent").then().statusCode(200)
        .body("channels.find { it.channel == 'sms' }.granted", equalTo(false))
        .body("channels.find { it.channel == 'sms' }.contactable", equalTo(false))
        .body("history[0].source", equalTo("reply T"));
    admin(tenant).get(CUSTOMERS).then().body("items.id", not(hasItem((int) loser)));
    admin(tenant).get(CUSTOMERS + "/tags").then().body("items.find { it.tag == 'vip' }.count", equalTo(1));
    assertEquals(0, count("SELECT count(*) FROM customer_tag WHERE tenant_id = ? AND customer_id = ?", tenant, loser));

    // a later upsert by the loser's external id lands on the survivor
    admin(tenant).body("{\"customers\": [{\"external_id\": \"jd-9\", \"platform\": \"jd\", \"name\": \"Zhang Wei\","
            + " \"province\": \"浙江\"}]}")
        .post(CUSTOMERS + "/batch").then().statusCode(200)
        .body("results[0].id", equalTo((int) survivor))
        .body("results[0].status", equalTo("updated"));
    admin(tenant).get(CUSTOMERS + "/" + survivor).then().body("province", equalTo("浙江"));
    // and so do events by it
    admin(tenant).body("{\"events\": [{\"external_id\": \"jd-9\", \"platform\": \"jd\", \"type\": \"view\"},"
            + " {\"customer_id\": " + loser + ", \"type\": \"review\"}]}")
        .post(CUSTOMERS + "/events/batch").then().statusCode(200)
        .body("results.status", contains("created", "created"));
    assertEquals(3, count("SELECT count(*) FROM customer_event WHERE tenant_id = ? AND customer_id = ?", tenant,
        survivor));
    // creating the loser's external id again is a conflict: it belongs to the survivor now
    admin(tenant).body("{\"name\": \"x\", \"external_id\": \"jd-9\", \"platform\": \"jd\"}").post(CUSTOMERS).then()
        .statusCode(409);
  }

  @Test
  void mergedChainsPointAtTheLastSurvivor() {
    String tenant = InternalTokens.newTenant("merge");
    long a = create(tenant, "{\"name\": \"a\"}");
    long b = create(tenant, "{\"name\": \"b\"}");
    long c = create(tenant, "{\"name\": \"c\"}");
    admin(tenant).body("{\"survivor_id\": " + b + ", \"merged_id\": " + a + "}").post(CUSTOMERS + "/merge").then()
        .statusCode(200);
    admin(tenant).body("{\"survivor_id\": " + c + ", \"merged_id\": " + b + "}").post(CUSTOMERS + "/merge").then()
        .statusCode(200);
    admin(tenant).get(CUSTOMERS + "/" + a).then().statusCode(410).body("merged_into", equalTo((int) c));
  }

  @Test
  void refusesMergingWithItselfOrAMergedProfile() {
    String tenant = InternalTokens.newTenant("merge");
    long a = create(tenant, "{\"name\": \"a\"}");
    long b = create(tenant, "{\"name\": \"b\"}");
    admin(tenant).body("{\"survivor_id\": " + a + ", \"merged_id\": " + a + "}").post(CUSTOMERS + "/merge").then()
        .statusCode(400).body("errors[0].field", equalTo("merged_id"));
    admin(tenant).body("{\"survivor_id\": " + a + ", \"merged_id\": 999999999}").post(CUSTOMERS + "/merge").then()
        .statusCode(404);
    admin(tenant).body("{\"survivor_id\": " + a + "}").post(CUSTOMERS + "/merge").then().statusCode(400);
    admin(tenant).body("{\"survivor_id\": " + a + ", \"merged_id\": " + b + "}").post(CUSTOMERS + "/merge").then()
        .statusCode(200);
    admin(tenant).body("{\"survivor_id\": " + a + ", \"merged_id\": " + b + "}").post(CUSTOMERS + "/merge").then()
        .statusCode(409);
  }

  @Test
  void mergeRetriedWithTheSameKeyAnswersTheSame() {
    String tenant = InternalTokens.newTenant("merge");
    long a = create(tenant, "{\"name\": \"a\"}");
    long b = create(tenant, "{\"name\": \"b\", \"tags\": [\"t\"]}");
    String body = "{\"survivor_id\": " + a + ", \"merged_id\": " + b + "}";
    admin(tenant).header("Idempotency-Key", "m-1").body(body).post(CUSTOMERS + "/merge").then().statusCode(200)
        .body("tags", hasSize(1));
    admin(tenant).header("Idempotency-Key", "m-1").body(body).post(CUSTOMERS + "/merge").then().statusCode(200)
        .header("Idempotent-Replayed", "true").body("id", equalTo((int) a));
  }
}
