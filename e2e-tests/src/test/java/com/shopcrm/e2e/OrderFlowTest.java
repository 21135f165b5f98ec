package com.shopcrm.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An order through the gateway reaches every service that cares, over the real event path: the
 * buyer is created in customer-service, points and tier follow from the delivered order events, and
 * scoring-service's read model and scores reflect the order within seconds; a refund reverses both.
 */
@ExtendWith(PlatformExtension.class)
class OrderFlowTest {

  private final E2ePlatform platform;

  OrderFlowTest(E2ePlatform platform) {
    this.platform = platform;
  }

  @Test
  void completedOrderEarnsPointsMovesTierAndIsScoredThenRefundReversesIt() {
    E2ePlatform.TenantKey shop = platform.newTenant("orders");
    JsonPath order = platform.as(shop).body(Map.of(
            "order_no", "TB-1001",
            "customer_external_id", "tb_buyer_1",
            "customer_platform", "taobao",
            "customer_name", "韩梅梅",
            "ordered_at", "2026-11-01T10:00:00+08:00",
            "total_amount", 1200,
            "status", "completed",
            "items", List.of(Map.of("sku", "TEA-01", "product_name", "龙井", "quantity", 2, "unit_price", 600))))
        .post("/api/v1/orders")
        .then().statusCode(201)
        .body("customer_id", notNullValue())
        .body("customer_pending", equalTo(false))
        .extract().jsonPath();
    long customerId = order.getLong("customer_id");
    long orderId = order.getLong("id");

    platform.as(shop).get("/api/v1/customers/{id}", customerId)
        .then().statusCode(200).body("external_id", equalTo("tb_buyer_1")).body("name", equalTo("韩梅梅"));

    // 1200 CNY x 1.0 (normal tier) + 100 first-order bonus; 1200 of spend reaches silver (1000).
    JsonPath membership = await(() -> platform.as(shop).get("/api/v1/customers/{id}/membership", customerId),
        m -> m.getLong("points_balance") == 1300);
    assertEquals("silver", membership.getString("tier"));

    JsonPath score;
    try {
      score = await(() -> platform.as(shop).get("/api/v1/scores/{id}", customerId),
          s -> s.getDouble("historical_value") == 1200.0);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\norder-event delivery: "
          + platform.as(shop).get("/api/v1/orders/events/subscribers").asString(), e);
    }
    assertEquals(0, score.getInt("frequency"));

    // A full refund reverses all of it (bonus included) and takes the order out of the scores.
    platform.as(shop).body(Map.of("amount", 1200, "reason", "质量问题", "type", "refund"))
        .post("/api/v1/orders/{id}/refunds", orderId)
        .then().statusCode(201);
    await(() -> platform.as(shop).get("/api/v1/customers/{id}/membership", customerId),
        m -> m.getLong("points_balance") == 0);
    // With its only order refunded the customer has no counted purchase left: no score.
    long deadline = System.currentTimeMillis() + 20_000;
    int status = 200;
    while (status != 404 && System.currentTimeMillis() < deadline) {
      status = platform.as(shop).get("/api/v1/scores/{id}", customerId).statusCode();
      sleepQuietly(250);
    }
    assertEquals(404, status, "the refunded order still counts in the scores");

    platform.as(shop).queryParam("customer_id", customerId).get("/api/v1/orders")
        .then().statusCode(200).body("items", hasSize(1)).body("items[0].status", equalTo("refunded"));
  }

  @Test
  void otherTenantSeesNeitherTheOrderNorItsEffects() {
    E2ePlatform.TenantKey shop = platform.newTenant("orders-a");
    E2ePlatform.TenantKey other = platform.newTenant("orders-b");
    long orderId = platform.as(shop).body(Map.of("order_no", "A-1", "customer_external_id", "buyer-a",
            "ordered_at", "2026-11-02T09:00:00+08:00", "total_amount", 88, "status", "completed"))
        .post("/api/v1/orders").then().statusCode(201).extract().jsonPath().getLong("id");

    platform.as(other).get("/api/v1/orders/{id}", orderId).then().statusCode(404);
    platform.as(other).get("/api/v1/orders").then().statusCode(200).body("items", hasSize(0));
    platform.as(other).get("/api/v1/customers").then().statusCode(200).body("items", hasSize(0));
  }

  /** Polls (up to 20 s: events are delivered every second) until the answer is 200 and matches. */
  private static JsonPath await(Supplier<Response> call, Predicate<JsonPath> done) {
    long deadline = System.currentTimeMillis() + 20_000;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      Response r = call.get();
      last = r.statusCode() + " " + r.asString();
      if (r.statusCode() == 200) {
        JsonPath body = r.jsonPath();
        try {
          if (done.test(body)) {
            return body;
          }
        } catch (RuntimeException notYet) {
          // a field not there yet
        }
      }
      sleepQuietly(250);
    }
    return fail("not reached within 20 s; last answer: " + last);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
