package com.shopcrm.order.analytics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hand-made shop whose numbers are worked out below. March 2024, Asia/Shanghai:
 * A bought in February (100) and twice in March (200 at 00:30 on the 1st, 100); B once (300, 50
 * refunded); C once (60, all returned); D did not pay (500), E cancelled; one anonymous order (40).
 * Paid orders: 200 + 100 + 300 + 60 + 40 = 700 gross, 110 refunded, revenue 590; orders 5 (1
 * anonymous); buyers A, B, C = 3; new B, C; returning A; repeat A -> 1/3; AOV 590/3 = 196.67;
 * per order 118.00; refunded orders 2/5; returned 1/5. Items: POT 300, TEA 2x50 + 2x50 = 200,
 * CUP 100 + 40 = 140, MUG 60; categories ware 440, drinks 200, none 60.
 */
@QuarkusTest
class SalesAnalyticsTest {

  private static final String SALES = "/api/v1/analytics/sales";

  private static RequestSpecification as(String tenant, String role) {
    return given().header("Authorization", InternalTokens.bearer(tenant, role)).contentType(ContentType.JSON);
  }

  private static long order(String tenant, String no, String buyer, String at, String status, String items) {
    String body = """
        {"order_no": "%s", "customer_external_id": "%s", "ordered_at": "%s", "status": "%s",
         "total_amount": %s, "items": [%s]}""".formatted(no, buyer, at, status, total(items), items);
    return as(tenant, "admin").body(body).post("/api/v1/orders").then().statusCode(201).extract().jsonPath()
        .getLong("id");
  }

  private static String total(String items) {
    // items are {"sku":..,"quantity":q,"unit_price":p}: the order total is the sum of q x p
    double sum = 0;
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("\"quantity\": (\\d+), \"unit_price\": ([0-9.]+)").matcher(items);
    while (m.find()) {
      sum += Integer.parseInt(m.group(1)) * Double.parseDouble(m.group(2));
    }
    return String.format(java.util.Locale.ROOT, "%.2f", sum);
  }

  private static String item(String sku, String category, int quantity, String price) {
    return "{\"sku\": \"%s\", %s\"quantity\": %d, \"unit_price\": %s}".formatted(sku,
        category == null ? "" : "\"category\": \"" + category + "\", ", quantity, price);
  }

  private static void refund(String tenant, long id, String type, String amount) {
    as(tenant, "admin").body("{\"type\": \"%s\", \"amount\": %s, \"reason\": \"test\"}".formatted(type, amount))
        .post("/api/v1/orders/" + id + "/refunds").then().statusCode(201);
  }

  /** An anonymous order (an export without the buyer column): the API always names a buyer, imports may not. */
  private static void anonymousOrder(String tenant, String no, String at, String sku, String price) {
    try (Connection c = TestDatabase.get().connect("crm_order_test")) {
      long id;
      try (PreparedStatement s = c.prepareStatement("INSERT INTO orders (tenant_id, order_no, ordered_at, "
          + "total_amount, status) VALUES (?, ?, ?::timestamptz, ?::numeric, 'completed') RETURNING id")) {
        s.setString(1, tenant);
        s.setString(2, no);
        s.setString(3, at);
        s.setString(4, price);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO order_item (tenant_id, order_id, line_no, sku, "
          + "category, quantity, unit_price) VALUES (?, ?, 1, ?, 'ware', 1, ?::numeric)")) {
        s.setString(1, tenant);
        s.setLong(2, id);
        s.setString(3, sku);
        s.setString(4, price);
        s.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String shop() {
    String t = InternalTokens.newTenant("sales");
    order(t, "A-0", "A", "2024-02-10T12:00:00+08:00", "completed", item("TEA", "drinks", 2, "50"));
    order(t, "A-1", "A", "2024-03-01T00:30:00+08:00", "completed",
        item("TEA", "drinks", 2, "50") + ", " + item("CUP", "ware", 1, "100"));
    order(t, "A-2", "A", "2024-03-05T09:00:00+08:00", "completed", item("TEA", "drinks", 2, "50"));
    long b = order(t, "B-1", "B", "2024-03-02T09:00:00+08:00", "completed", item("POT", "ware", 1, "300"));
    refund(t, b, "refund", "50");
    long c = order(t, "C-1", "C", "2024-03-03T09:00:00+08:00", "completed", item("MUG", null, 1, "60"));
    refund(t, c, "return", "60");
    order(t, "D-1", "D", "2024-03-04T09:00:00+08:00", "created", item("POT", "ware", 1, "500"));
    long e = order(t, "E-1", "E", "2024-03-04T10:00:00+08:00", "created", item("POT", "ware", 1, "700"));
    as(t, "admin").body("{\"status\": \"cancelled\"}").post("/api/v1/orders/" + e + "/status").then().statusCode(200);
    order(t, "B-2", "B", "2024-04-01T09:00:00+08:00", "completed", item("POT", "ware", 1, "300"));
    anonymousOrder(t, "N-1", "2024-03-07T09:00:00+08:00", "CUP", "40");
    return t;
  }

  @Test
  void computesRevenueBuyersAovNewVsReturningRepurchaseRefundsAndTopProducts() {
    String t = shop();
    as(t, "analyst").queryParam("from", "2024-03-01").queryParam("to", "2024-03-31").queryParam("granularity", "month")
        .get(SALES).then().statusCode(200)
        .body("time_zone", equalTo("Asia/Shanghai"))
        .body("totals.revenue", equalTo(590.0f))
        .body("totals.gross_revenue", equalTo(700.0f))
        .body("totals.refunded_amount", equalTo(110.0f))
        .body("totals.orders", equalTo(5))
        .body("totals.anonymous_orders", equalTo(1))
        .body("totals.buyers", equalTo(3))
        .body("totals.aov", equalTo(196.67f))
        .body("totals.avg_order_value", equalTo(118.0f))
        .body("totals.new_buyers", equalTo(2))
        .body("totals.returning_buyers", equalTo(1))
        .body("totals.repeat_buyers", equalTo(1))
        .body("totals.repurchase_rate", equalTo(0.3333f))
        .body("totals.refunded_orders", equalTo(2))
        .body("totals.refund_rate", equalTo(0.4f))
        .body("totals.returned_orders", equalTo(1))
        .body("totals.return_rate", equalTo(0.2f))
        .body("buckets", hasSize(1))
        .body("buckets[0].start", equalTo("2024-03-01"))
        .body("buckets[0].metrics.revenue", equalTo(590.0f))
        .body("top_products.key", equalTo(List.of("POT", "TEA", "CUP", "MUG")))
        .body("top_products.revenue", equalTo(List.of(300.0f, 200.0f, 140.0f, 60.0f)))
        .body("top_products.quantity", equalTo(List.of(1, 4, 2, 1)))
        .body("top_products.orders", equalTo(List.of(1, 2, 2, 1)))
        .body("top_products.rank", equalTo(List.of(1, 2, 3, 4)))
        .body("top_categories.key", equalTo(java.util.Arrays.asList("ware", "drinks", null)))
        .body("top_categories.revenue", equalTo(List.of(440.0f, 200.0f, 60.0f)));
  }

  @Test
  void bucketsByDayAndWeekInTheShopsTimeZone() {
    String t = shop();
    as(t, "admin").queryParam("from", "2024-03-01").queryParam("to", "2024-03-31").get(SALES).then().statusCode(200)
        .body("granularity", equalTo("day"))
        .body("buckets", hasSize(31))
        .body("buckets[0].start", equalTo("2024-03-01"))
        .body("buckets[0].metrics.orders", equalTo(1))
        .body("buckets[0].metrics.returning_buyers", equalTo(1))
        .body("buckets[0].metrics.new_buyers", equalTo(0))
        .body("buckets[1].metrics.new_buyers", equalTo(1))
        .body("buckets[1].metrics.revenue", equalTo(250.0f))
        .body("buckets[3].metrics.orders", equalTo(0))
        .body("buckets[3].metrics.aov", nullValue())
        .body("buckets[3].metrics.repurchase_rate", nullValue());
    as(t, "admin").queryParam("from", "2024-03-01").queryParam("to", "2024-03-10").queryParam("granularity", "week")
        .get(SALES).then().statusCode(200)
        .body("buckets.start", equalTo(List.of("2024-02-26", "2024-03-04")))
        .body("buckets[0].metrics.buyers", equalTo(3))
        .body("buckets[0].metrics.new_buyers", equalTo(2))
        .body("buckets[1].metrics.buyers", equalTo(1))
        .body("buckets[1].metrics.returning_buyers", equalTo(1))
        .body("buckets[1].metrics.orders", equalTo(2));
    // in UTC, A's order at 00:30 on 1 March in Shanghai is still February
    as(t, "admin").queryParam("from", "2024-03-01").queryParam("to", "2024-03-31").queryParam("tz", "UTC")
        .queryParam("granularity", "month").get(SALES).then().statusCode(200)
        .body("totals.orders", equalTo(4));
  }

  @Test
  void otherTenantSeesNoneOfTheShopsSales() {
    shop();
    String other = InternalTokens.newTenant("sales-other");
    as(other, "analyst").queryParam("from", "2024-03-01").queryParam("to", "2024-03-31")
        .queryParam("granularity", "month").get(SALES).then().statusCode(200)
        .body("totals.orders", equalTo(0))
        .body("totals.revenue", equalTo(0.0f))
        .body("totals.aov", nullValue())
        .body("top_products", hasSize(0));
  }

  @Test
  void rejectsBadParametersWithProblems() {
    String t = InternalTokens.newTenant("sales-bad");
    as(t, "admin").queryParam("granularity", "hour").get(SALES).then().statusCode(400)
        .body("errors[0].field", equalTo("granularity"));
    as(t, "admin").queryParam("from", "March").get(SALES).then().statusCode(400);
    as(t, "admin").queryParam("from", "2024-03-02").queryParam("to", "2024-03-01").get(SALES).then().statusCode(400);
    as(t, "admin").queryParam("from", "2000-01-01").queryParam("to", "2024-01-01").get(SALES).then().statusCode(400);
    as(t, "admin").queryParam("tz", "Mars/Base").get(SALES).then().statusCode(400);
    as(t, "admin").queryParam("tz", "+08:00").get(SALES).then().statusCode(400);
    given().get(SALES).then().statusCode(401);
  }
}
