package com.shopcrm.customer.rest;

import static com.shopcrm.customer.rest.Api.CUSTOMERS;
import static com.shopcrm.customer.rest.Api.admin;
import static com.shopcrm.customer.rest.Api.count;
import static com.shopcrm.customer.rest.Api.create;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every endpoint, called by another shop with a valid token and an id of this shop: not found, nothing written. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_customer_test"))
class TenantIsolationTest {

  private String owner;
  private String other;
  private long id;
  private long ownersOther;

  @BeforeEach
  void twoShops() {
    owner = InternalTokens.newTenant("owner");
    other = InternalTokens.newTenant("other");
    id = create(owner, """
        {"name": "Owned", "external_id": "o-1", "platform": "tmall", "phone": "15200000001", "tags": ["vip"]}""");
    ownersOther = create(owner, "{\"name\": \"Owned too\", \"phone\": \"15200000001\"}");
    admin(owner).body("{\"type\": \"view\"}").post(CUSTOMERS + "/" + id + "/events").then().statusCode(201);
    admin(owner).body("{\"channel\": \"sms\", \"granted\": false}").put(CUSTOMERS + "/" + id + "/consent").then()
        .statusCode(200);
  }

  private RequestSpecification stranger() {
    return admin(other);
  }

  @Test
  void otherTenantSeesNotFound() {
    String one = CUSTOMERS + "/" + id;
    stranger().get(one).then().statusCode(404).contentType("application/problem+json");
    stranger().body("{\"name\": \"stolen\"}").patch(one).then().statusCode(404);
    stranger().delete(one).then().statusCode(404);
    stranger().get(one + "/duplicates").then().statusCode(404);
    stranger().body("{\"tags\": [\"x\"]}").post(one + "/tags").then().statusCode(404);
    stranger().delete(one + "/tags/vip").then().statusCode(404);
    stranger().body("{\"type\": \"view\"}").post(one + "/events").then().statusCode(404);
    stranger().get(one + "/events").then().statusCode(404);
    stranger().body("{\"channel\": \"sms\", \"granted\": true}").put(one + "/consent").then().statusCode(404);
    stranger().get(one + "/consent").then().statusCode(404);
    stranger().body("{\"survivor_id\": " + id + ", \"merged_id\": " + ownersOther + "}").post(CUSTOMERS + "/merge")
        .then().statusCode(404);
    stranger().body("{\"events\": [{\"customer_id\": " + id + ", \"type\": \"view\"}, "
            + "{\"external_id\": \"o-1\", \"platform\": \"tmall\", \"type\": \"view\"}]}")
        .post(CUSTOMERS + "/events/batch").then().statusCode(200)
        .body("results.status", contains("error", "error"));

    // nothing of the owner's changed
    admin(owner).get(one).then().statusCode(200).body("name", equalTo("Owned")).body("tags", contains("vip"));
    assertEquals(1, count("SELECT count(*) FROM customer_event WHERE customer_id = ?", id));
    assertEquals(1, count("SELECT count(*) FROM consent_history WHERE customer_id = ?", id));
    assertEquals(1, count("SELECT count(*) FROM customer_tag WHERE customer_id = ?", id));
    assertEquals(0, count("SELECT count(*) FROM customer WHERE tenant_id = ?", other));
  }

  @Test
  void listsNeverShowAnotherTenantsRows() {
    create(other, "{\"name\": \"Theirs\", \"phone\": \"15200000001\", \"tags\": [\"vip\"]}");
    stranger().get(CUSTOMERS).then().statusCode(200).body("items.name", contains("Theirs"));
    stranger().queryParam("tag", "vip").get(CUSTOMERS).then().body("items.name", contains("Theirs"));
    stranger().queryParam("q", "owned").get(CUSTOMERS).then().body("items", empty());
    stranger().queryParam("q", "15200000001").get(CUSTOMERS).then().body("items.name", contains("Theirs"));
    stranger().get(CUSTOMERS + "/tags").then().body("items.count", contains(1));
    admin(owner).get(CUSTOMERS + "/" + id + "/duplicates").then().statusCode(200)
        .body("items.customer.name", contains("Owned too"))
        .body("items.customer.name", not(hasItem("Theirs")));
  }

  @Test
  void batchUpsertByAnotherTenantsExternalIdCreatesItsOwnCustomer() {
    stranger().body("{\"customers\": [{\"external_id\": \"o-1\", \"platform\": \"tmall\", \"name\": \"Mine\"}]}")
        .post(CUSTOMERS + "/batch").then().statusCode(200)
        .body("results[0].status", equalTo("created"));
    admin(owner).get(CUSTOMERS + "/" + id).then().body("name", equalTo("Owned"));
  }
}
