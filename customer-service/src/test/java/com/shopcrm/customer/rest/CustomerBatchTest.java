package com.shopcrm.customer.rest;

import static com.shopcrm.customer.rest.Api.CUSTOMERS;
import static com.shopcrm.customer.rest.Api.admin;
import static com.shopcrm.customer.rest.Api.count;
import static com.shopcrm.customer.rest.Api.create;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_customer_test"))
class CustomerBatchTest {

  private static final String BATCH = CUSTOMERS + "/batch";

  @Test
  void reportsInvalidItemsByIndexAndWritesTheValidOnes() {
    String tenant = InternalTokens.newTenant("batch");
    long existing = create(tenant, "{\"name\": \"Old\", \"external_id\": \"e-1\", \"platform\": \"taobao\","
        + " \"city\": \"杭州\", \"attributes\": {\"a\": 1}}");
    admin(tenant).body("""
            {"customers": [
              {"external_id": "e-1", "platform": "taobao", "name": "Old", "phone": "13800000000",
               "attributes": {"b": 2}, "tags": ["vip"]},
              {"external_id": "n-1", "name": "New", "tags": ["vip", "new"]},
              {"external_id": "n-2", "name": ""},
              {"name": "no external id"},
              {"external_id": "n-3", "name": "x", "email": "nope"},
              {"external_id": "n-4", "name": 5},
              {"external_id": "n-5", "name": "x", "colour": "red"},
              {"external_id": "n-1", "name": "again"},
              "not an object",
              {"external_id": "n-6", "name": "Fine", "platform": "jd", "birthday": "1991-02-03"}
            ]}""")
        .post(BATCH).then().statusCode(200)
        .body("results", hasSize(10))
        .body("results.index", contains(0, 1, 2, 3, 4, 5, 6, 7, 8, 9))
        .body("results.status", contains("updated", "created", "error", "error", "error", "error", "error",
            "error", "error", "created"))
        .body("results[0].id", equalTo((int) existing))
        .body("results[0].error", nullValue())
        .body("results[2].error", containsString("name"))
        .body("results[3].error", containsString("external_id"))
        .body("results[4].error", containsString("email"))
        .body("results[5].error", containsString("name"))
        .body("results[6].error", containsString("colour"))
        .body("results[7].error", containsString("item 1"))
        .body("results[2].external_id", equalTo("n-2"));
    assertEquals(3, count("SELECT count(*) FROM customer WHERE tenant_id = ?", tenant));
    assertEquals(3, count("SELECT count(*) FROM customer_identity WHERE tenant_id = ?", tenant));
    admin(tenant).get(CUSTOMERS + "/" + existing).then()
        .body("phone", equalTo("13800000000"))
        .body("city", equalTo("杭州"))
        .body("attributes.a", equalTo(1))
        .body("attributes.b", equalTo(2))
        .body("tags", contains("vip"));
    admin(tenant).queryParam("tag", "new").get(CUSTOMERS).then().body("items.name", contains("New"));
    admin(tenant).queryParam("platform", "jd").get(CUSTOMERS).then().body("items[0].birthday", equalTo("1991-02-03"));
  }

  @Test
  void anItemWithoutANameNamesANewProfileByItsExternalIdAndNeverRenamesAnExistingOne() {
    String tenant = InternalTokens.newTenant("batch");
    long existing = create(tenant, "{\"name\": \"韩梅梅\", \"external_id\": \"tb_1\", \"platform\": \"taobao\"}");
    admin(tenant).body("""
            {"customers": [{"external_id": "tb_1", "platform": "taobao", "city": "杭州"},
                           {"external_id": "tb_2", "platform": "taobao", "name": null}]}""")
        .post(BATCH).then().statusCode(200).body("results.status", contains("updated", "created"));
    admin(tenant).get(CUSTOMERS + "/" + existing).then().body("name", equalTo("韩梅梅")).body("city", equalTo("杭州"));
    assertEquals(1, count("SELECT count(*) FROM customer WHERE tenant_id = ? AND external_id = 'tb_2' AND name = 'tb_2'",
        tenant));
  }

  @Test
  void resendingTheSameBatchChangesNothing() {
    String tenant = InternalTokens.newTenant("batch");
    String body = "{\"customers\": [{\"external_id\": \"r-1\", \"name\": \"A\", \"tags\": [\"t\"]},"
        + " {\"external_id\": \"r-2\", \"name\": \"B\", \"attributes\": {\"k\": true}}]}";
    admin(tenant).body(body).post(BATCH).then().statusCode(200).body("results.status", contains("created", "created"));
    admin(tenant).body(body).post(BATCH).then().statusCode(200)
        .body("results.status", contains("unchanged", "unchanged"));
    admin(tenant).body("{\"customers\": [{\"external_id\": \"r-1\", \"name\": \"A\", \"tags\": [\"u\"]}]}")
        .post(BATCH).then().body("results.status", contains("updated"));
    assertEquals(2, count("SELECT count(*) FROM customer WHERE tenant_id = ?", tenant));
  }

  @Test
  void upsertsAThousandInOneCall() {
    String tenant = InternalTokens.newTenant("batch");
    String items = IntStream.range(0, 1000)
        .mapToObj(i -> "{\"external_id\": \"k-" + i + "\", \"name\": \"n" + i + "\", \"phone\": \"1380000" + i + "\"}")
        .collect(Collectors.joining(","));
    admin(tenant).body("{\"customers\": [" + items + "]}").post(BATCH).then().statusCode(200)
        .body("results.findAll { it.status == 'created' }", hasSize(1000));
    assertEquals(1000, count("SELECT count(*) FROM customer WHERE tenant_id = ?", tenant));
  }

  @Test
  void refusesMoreThanAThousandItems() {
    String tenant = InternalTokens.newTenant("batch");
    String items = IntStream.range(0, 1001).mapToObj(i -> "{\"external_id\": \"k-" + i + "\", \"name\": \"n\"}")
        .collect(Collectors.joining(","));
    admin(tenant).body("{\"customers\": [" + items + "]}").post(BATCH).then().statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("customers"));
    admin(tenant).body("{}").post(BATCH).then().statusCode(400);
    assertEquals(0, count("SELECT count(*) FROM customer WHERE tenant_id = ?", tenant));
  }

  @Test
  void batchWithIdempotencyKeyRunsOnce() {
    String tenant = InternalTokens.newTenant("batch");
    String body = "{\"customers\": [{\"external_id\": \"i-1\", \"name\": \"A\"}]}";
    admin(tenant).header("Idempotency-Key", "b-1").body(body).post(BATCH).then()
        .body("results[0].status", equalTo("created"));
    admin(tenant).header("Idempotency-Key", "b-1").body(body).post(BATCH).then()
        .header("Idempotent-Replayed", "true")
        .body("results[0].status", equalTo("created"));
  }
}
