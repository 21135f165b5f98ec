package com.shopcrm.order.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import com.shopcrm.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_order_test"))
class OrderResourceTest {

  private static void insertOrders(String tenant, String... orderNos) throws Exception {
    try (Connection c = TestDatabase.get().connect("crm_order_test");
         PreparedStatement s = c.prepareStatement(
             "INSERT INTO orders (tenant_id, order_no, customer_external_id, ordered_at, total_amount, status)"
                 + " VALUES (?, ?, ?, '2024-03-01T10:15:00+08:00', 129.90, 'paid')")) {
      for (String orderNo : orderNos) {
        s.setString(1, tenant);
        s.setString(2, orderNo);
        s.setString(3, "buyer-" + orderNo);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  @Test
  void listsTheTenantsOrdersWithTheirFields() throws Exception {
    String shop = InternalTokens.newTenant("shop-a");
    insertOrders(shop, "A-1");

    given().header("Authorization", InternalTokens.bearer(shop, "analyst"))
        .get("/api/v1/orders")
        .then().statusCode(200)
        .body("items.order_no", contains("A-1"))
        .body("items[0].id", notNullValue())
        .body("items[0].customer_external_id", equalTo("buyer-A-1"))
        .body("items[0].total_amount", equalTo(129.90f))
        .body("items[0].status", equalTo("paid"))
        .body("items[0].ordered_at", notNullValue())
        .body("next_cursor", nullValue());
  }

  @Test
  void otherTenantNeverSeesTheOrders() throws Exception {
    String shopA = InternalTokens.newTenant("shop-a");
    String shopB = InternalTokens.newTenant("shop-b");
    insertOrders(shopA, "A-1", "A-2");

    given().header("Authorization", InternalTokens.bearer(shopB, "admin"))
        .get("/api/v1/orders")
        .then().statusCode(200)
        .body("items", empty())
        .body("next_cursor", nullValue());
  }

  @Test
  void pagesThroughOrdersWithTheCursor() throws Exception {
    String shop = InternalTokens.newTenant("shop-a");
    insertOrders(shop, "P-1", "P-2", "P-3");
    String auth = InternalTokens.bearer(shop, "admin");

    String cursor = given().header("Authorization", auth).queryParam("limit", 2)
        .get("/api/v1/orders")
        .then().statusCode(200)
        .body("items.order_no", contains("P-1", "P-2"))
        .body("next_cursor", notNullValue())
        .extract().path("next_cursor");

    given().header("Authorization", auth).queryParam("limit", 2).queryParam("cursor", cursor)
        .get("/api/v1/orders")
        .then().statusCode(200)
        .body("items.order_no", contains("P-3"))
        .body("next_cursor", nullValue());
  }

  @Test
  void rejectsLimitOutOfRange() {
    String auth = InternalTokens.bearer(InternalTokens.newTenant("shop-a"), "admin");
    for (String limit : new String[] {"0", "1001", "ten"}) {
      given().header("Authorization", auth).queryParam("limit", limit)
          .get("/api/v1/orders")
          .then().statusCode(400)
          .contentType("application/problem+json")
          .body("status", equalTo(400))
          .body("errors[0].field", equalTo("limit"));
    }
  }

  @Test
  void rejectsCursorItDidNotIssue() {
    given().header("Authorization", InternalTokens.bearer(InternalTokens.newTenant("shop-a"), "admin"))
        .queryParam("cursor", "garbage!")
        .get("/api/v1/orders")
        .then().statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("cursor"));
  }

  @Test
  void documentsTheListWithAnIntegerLimitInOpenApi() {
    given().get("/q/openapi?format=json")
        .then().statusCode(200)
        .body("paths.'/api/v1/orders'.get.parameters.find { it.name == 'limit' }.schema.type", equalTo("integer"));
  }

  @Test
  void rejectsCallWithoutToken() {
    given().get("/api/v1/orders").then().statusCode(401);
  }
}
