package com.shopcrm.order.rest;

import static com.shopcrm.order.rest.Api.ORDERS;
import static com.shopcrm.order.rest.Api.admin;
import static com.shopcrm.order.rest.Api.count;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TenantIsolationTest {

  @Test
  void otherTenantSeesNotFound() {
    String shopA = InternalTokens.newTenant("iso-a");
    String shopB = InternalTokens.newTenant("iso-b");
    long id = Api.create(shopA, "S-1", "100", "completed");
    admin(shopA).body("{\"rating\": 5}").post(ORDERS + "/" + id + "/reviews").then().statusCode(201);

    admin(shopB).get(ORDERS + "/" + id).then().statusCode(404).contentType("application/problem+json");
    admin(shopB).body("{\"status\": \"cancelled\"}").post(ORDERS + "/" + id + "/status").then().statusCode(404);
    admin(shopB).body("{\"amount\": 1, \"reason\": \"x\", \"type\": \"refund\"}")
        .post(ORDERS + "/" + id + "/refunds").then().statusCode(404);
    admin(shopB).body("{\"rating\": 1}").post(ORDERS + "/" + id + "/reviews").then().statusCode(404);
    admin(shopB).get(ORDERS).then().statusCode(200).body("items", empty());
    admin(shopB).queryParam("customer_external_id", "buyer-S-1").get(ORDERS).then().body("items", empty());
    admin(shopB).get(ORDERS + "/events").then().statusCode(200).body("items", empty());

    assertEquals(0, count("SELECT count(*) FROM order_refund WHERE tenant_id = ?", shopA));
    assertEquals(1, count("SELECT count(*) FROM order_review WHERE tenant_id = ?", shopA));
    admin(shopA).get(ORDERS + "/" + id).then().statusCode(200).body("status", equalTo("completed"));
  }

  @Test
  void sameOrderNoInTwoTenantsIsTwoOrders() {
    String shopA = InternalTokens.newTenant("iso-a");
    String shopB = InternalTokens.newTenant("iso-b");
    Api.create(shopA, "SAME-1", "100", "paid");
    Api.create(shopB, "SAME-1", "200", "paid");
    admin(shopB).get(ORDERS).then().body("items.total_amount", contains(200.0f));
  }

  @Test
  void listFiltersCombine() {
    String shop = InternalTokens.newTenant("filter");
    long a = Api.create(shop, "F-1", "100", "paid");
    Api.create(shop, "F-2", "100", "created");
    admin(shop).body(Api.order("F-3", "buyer-F-1", "5").replaceFirst("\\{",
        "{\"channel\": \"app\", \"coupon_code\": \"C10\", \"ordered_at\": \"2024-05-01T00:00:00Z\", ")
        .replace("\"ordered_at\": \"2024-03-01T10:15:00+08:00\",", "")).post(ORDERS).then().statusCode(201);
    admin(shop).queryParam("status", "paid").get(ORDERS).then().body("items.order_no", contains("F-1"));
    admin(shop).queryParam("customer_external_id", "buyer-F-1").get(ORDERS).then()
        .body("items.order_no", contains("F-1", "F-3"));
    admin(shop).queryParam("from", "2024-04-01").get(ORDERS).then().body("items.order_no", contains("F-3"));
    admin(shop).queryParam("to", "2024-04-01").queryParam("status", "created").get(ORDERS).then()
        .body("items.order_no", contains("F-2"));
    admin(shop).queryParam("channel", "app").queryParam("coupon_code", "C10").get(ORDERS).then()
        .body("items.order_no", contains("F-3"));
    long customerId = admin(shop).get(ORDERS + "/" + a).then().extract().jsonPath().getLong("customer_id");
    admin(shop).queryParam("customer_id", customerId).get(ORDERS).then().body("items.order_no", contains("F-1", "F-3"));
    admin(shop).queryParam("status", "lost").get(ORDERS).then().statusCode(400).body("errors[0].field", equalTo("status"));
    admin(shop).queryParam("from", "soon").get(ORDERS).then().statusCode(400).body("errors[0].field", equalTo("from"));
    admin(shop).queryParam("customer_id", "x").get(ORDERS).then().statusCode(400);
  }
}
