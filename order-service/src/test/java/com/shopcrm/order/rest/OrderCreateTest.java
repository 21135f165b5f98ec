package com.shopcrm.order.rest;

import static com.shopcrm.order.rest.Api.ORDERS;
import static com.shopcrm.order.rest.Api.admin;
import static com.shopcrm.order.rest.Api.as;
import static com.shopcrm.order.rest.Api.count;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.order.TestServiceTokens;
import com.shopcrm.order.service.PendingCustomerResolver;
import com.shopcrm.testing.InternalTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrderCreateTest {

  @Inject
  PendingCustomerResolver resolver;

  @Inject
  TestServiceTokens tokens;

  @AfterEach
  void customerServiceBackUp() {
    Api.customerServiceDown(false);
    tokens.enable(false);
  }

  private static List<Map<String, Object>> callsFor(String externalId) {
    JsonPath calls = Api.fakeCalls();
    List<Map<String, Object>> all = calls.getList("calls");
    return all.stream().filter(c -> c.toString().contains(externalId)).toList();
  }

  @Test
  void createsTheOrderWithItemsAndTheBuyerFromCustomerService() {
    String tenant = InternalTokens.newTenant("create");
    String buyer = tenant + "-nick";
    String auth = InternalTokens.bearer(tenant, "integration");
    long id = io.restassured.RestAssured.given().header("Authorization", auth).contentType("application/json")
        .body("""
            {"order_no": "T-1", "customer_external_id": "%s", "customer_platform": "taobao",
             "ordered_at": "2024-03-01T10:15:00+08:00", "total_amount": 95.5, "discount_amount": 10,
             "shipping_fee": 5.5, "coupon_code": "SPRING", "channel": "tmall-store", "status": "paid",
             "paid_at": "2024-03-01T10:20:00+08:00", "customer_name": "张三", "customer_phone": "15212343170",
             "customer_email": "zhang@example.com", "province": "浙江", "city": "杭州",
             "items": [{"sku": "A", "product_name": "绿茶", "category": "tea", "quantity": 2, "unit_price": 25},
                       {"sku": "B", "quantity": 1, "unit_price": 40.00}]}""".formatted(buyer))
        .post(ORDERS)
        .then().statusCode(201)
        .header("Location", containsString(ORDERS + "/"))
        .body("order_no", equalTo("T-1"))
        .body("status", equalTo("paid"))
        .body("customer_platform", equalTo("taobao"))
        .body("customer_id", notNullValue())
        .body("customer_pending", equalTo(false))
        .body("total_amount", equalTo(95.5f))
        .body("discount_amount", equalTo(10.0f))
        .body("refunded_amount", equalTo(0f))
        .body("items.sku", contains("A", "B"))
        .body("items[0].line_no", equalTo(1))
        .body("items[0].unit_price", equalTo(25.0f))
        .extract().jsonPath().getLong("id");

    List<Map<String, Object>> calls = callsFor(buyer);
    assertEquals(1, calls.size(), "one customer-service call");
    assertEquals(auth, calls.get(0).get("authorization"), "the caller's internal token is forwarded");
    assertTrue(calls.get(0).toString().contains("张三"));
    assertEquals(2, count("SELECT count(*) FROM order_item WHERE tenant_id = ? AND order_id = ?", tenant, id));
    assertEquals(1, count("SELECT count(*) FROM order_event WHERE tenant_id = ? AND type = 'order.created'", tenant));

    admin(tenant).get(ORDERS + "/" + id).then().statusCode(200)
        .body("customer_phone", equalTo("15212343170"))
        .body("items", org.hamcrest.Matchers.hasSize(2))
        .body("refunds", org.hamcrest.Matchers.empty())
        .body("reviews", org.hamcrest.Matchers.empty());
    as(tenant, "analyst").get(ORDERS + "/" + id).then().statusCode(200)
        .body("customer_phone", equalTo("152****3170"))
        .body("customer_email", equalTo("z***@example.com"));
  }

  @Test
  void sameOrderNoWithSameContentAnswersTheStoredOrder() {
    String tenant = InternalTokens.newTenant("create");
    String body = Api.order("R-1", tenant + "-b", "100");
    long id = admin(tenant).body(body).post(ORDERS).then().statusCode(201).extract().jsonPath().getLong("id");
    // the same order, formatted differently (amount scale, offset of the same instant)
    admin(tenant).body(body.replace("\"total_amount\": 100", "\"total_amount\": 100.00")
            .replace("2024-03-01T10:15:00+08:00", "2024-03-01T02:15:00Z"))
        .post(ORDERS).then().statusCode(200).body("id", equalTo((int) id));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ?", tenant));
    assertEquals(1, count("SELECT count(*) FROM order_item WHERE tenant_id = ?", tenant));
    assertEquals(1, count("SELECT count(*) FROM order_event WHERE tenant_id = ?", tenant));
    assertEquals(1, callsFor(tenant + "-b").size(), "a known order_no asks customer-service nothing");
  }

  @Test
  void sameOrderNoWithOtherContentIsAConflict() {
    String tenant = InternalTokens.newTenant("create");
    admin(tenant).body(Api.order("C-1", tenant + "-b", "100")).post(ORDERS).then().statusCode(201);
    admin(tenant).body(Api.order("C-1", tenant + "-b", "120")).post(ORDERS).then().statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("C-1"));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ?", tenant));
    assertEquals(1, count("SELECT count(*) FROM order_event WHERE tenant_id = ?", tenant));
  }

  @Test
  void idempotencyKeyReplaysTheFirstAnswer() {
    String tenant = InternalTokens.newTenant("create");
    String body = Api.order("K-1", tenant + "-b", "100");
    long id = admin(tenant).header("Idempotency-Key", "key-1").body(body).post(ORDERS)
        .then().statusCode(201).extract().jsonPath().getLong("id");
    admin(tenant).header("Idempotency-Key", "key-1").body(body).post(ORDERS)
        .then().statusCode(201)
        .header("Idempotent-Replayed", "true")
        .body("id", equalTo((int) id));
    admin(tenant).header("Idempotency-Key", "key-1").body(Api.order("K-2", tenant + "-b", "100")).post(ORDERS)
        .then().statusCode(422);
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ?", tenant));
    assertEquals(1, count("SELECT count(*) FROM idempotency_key WHERE tenant_id = ?", tenant));
  }

  @Test
  void rejectsBadInputWithFieldErrorsAndWritesNothing() {
    String tenant = InternalTokens.newTenant("create");
    admin(tenant).body(Api.order("B-1", "b", "-1")).post(ORDERS).then().statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("total_amount"));
    admin(tenant).body(Api.order("B-2", "b", "10").replace("\"quantity\": 2", "\"quantity\": 0")).post(ORDERS)
        .then().statusCode(400).body("errors.field", hasItem("items[0].quantity"));
    admin(tenant).body(Api.order("B-3", "b", "10").replace("2024-03-01T10:15:00+08:00", "yesterday")).post(ORDERS)
        .then().statusCode(400).body("errors[0].field", equalTo("ordered_at"));
    admin(tenant).body(Api.order("B-4", "b", "10").replaceFirst("\\{", "{\"status\": \"lost\", ")).post(ORDERS)
        .then().statusCode(400).body("errors[0].field", equalTo("status"));
    admin(tenant).body(Api.order("B-5", "b", "10").replaceFirst("\\{", "{\"status\": \"refunded\", ")).post(ORDERS)
        .then().statusCode(400).body("errors[0].field", equalTo("status"));
    admin(tenant).body(Api.order("B-6", "b", "10").replace("\"unit_price\": 50.00", "\"unit_price\": -5"))
        .post(ORDERS).then().statusCode(400).body("errors.field", hasItem("items[0].unit_price"));
    admin(tenant).body("{\"order_no\": \"B-7\"}").post(ORDERS).then().statusCode(400)
        .body("errors.field", hasItem("customer_external_id"));
    assertEquals(0, count("SELECT count(*) FROM orders WHERE tenant_id = ?", tenant));
    assertEquals(0, count("SELECT count(*) FROM order_event WHERE tenant_id = ?", tenant));
  }

  @Test
  void analystCannotWrite() {
    String tenant = InternalTokens.newTenant("create");
    as(tenant, "analyst").body(Api.order("A-1", "b", "10")).post(ORDERS).then().statusCode(403)
        .contentType("application/problem+json");
    as(tenant, "analyst").body("{\"orders\": []}").post(ORDERS + "/batch").then().statusCode(403);
    assertEquals(0, count("SELECT count(*) FROM orders WHERE tenant_id = ?", tenant));
  }

  @Test
  void customerServiceDownStoresTheOrderPendingAndResolvesItLater() {
    String tenant = InternalTokens.newTenant("create");
    String buyer = tenant + "-late";
    Api.customerServiceDown(true);
    long id = admin(tenant).body(Api.order("D-1", buyer, "100")).post(ORDERS).then().statusCode(201)
        .body("customer_pending", equalTo(true))
        .body("customer_id", nullValue())
        .extract().jsonPath().getLong("id");
    assertEquals(1, count("SELECT count(*) FROM order_event WHERE tenant_id = ?", tenant));
    Api.customerServiceDown(false);

    // no token source configured: the background pass skips, the order stays pending
    resolver.resolvePending().await().atMost(Duration.ofSeconds(30));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND customer_pending", tenant));

    tokens.enable(true);
    resolver.resolvePending().await().atMost(Duration.ofSeconds(30));
    admin(tenant).get(ORDERS + "/" + id).then().statusCode(200)
        .body("customer_pending", equalTo(false))
        .body("customer_id", notNullValue());
    assertEquals(1, callsFor(buyer).size());
  }

  @Test
  void buyerRefusedByCustomerServiceStillStoresTheOrder() {
    String tenant = InternalTokens.newTenant("create");
    long id = admin(tenant).body(Api.order("X-1", tenant + "-x", "10").replaceFirst("\\{",
            "{\"customer_name\": \"REJECT\", "))
        .post(ORDERS).then().statusCode(201)
        .body("customer_id", nullValue())
        .body("customer_pending", equalTo(false))
        .extract().jsonPath().getLong("id");
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND id = ? AND customer_error IS NOT NULL",
        tenant, id));
  }
}
