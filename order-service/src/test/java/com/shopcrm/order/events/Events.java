package com.shopcrm.order.events;

import static io.restassured.RestAssured.given;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assertions;

/** Orders through the API, the fake subscribers' view, and the outbox as the database holds it. */
final class Events {

  static final String ORDERS = "/api/v1/orders";
  static final String EVENTS = "/api/v1/orders/events";
  static final String SCORING = "/api/v1/scoring/order-events";
  static final String MEMBERSHIP = "/api/v1/customers/membership/order-events";

  private Events() {
  }

  static RequestSpecification admin(String tenant) {
    return given().header("Authorization", InternalTokens.bearer(tenant, "admin")).contentType(ContentType.JSON);
  }

  /** Creates an order of the buyer with the given status; its id. */
  static long order(String tenant, String orderNo, String buyer, String status, String total) {
    String body = """
        {"order_no": "%s", "customer_external_id": "%s", "ordered_at": "2024-03-01T10:15:00+08:00", "status": "%s",
         "total_amount": %s, "items": [{"sku": "SKU-1", "quantity": 1, "unit_price": %s}]}"""
        .formatted(orderNo, buyer, status, total, total);
    return admin(tenant).body(body).post(ORDERS).then().statusCode(201).extract().jsonPath().getLong("id");
  }

  static void status(String tenant, long id, String status) {
    admin(tenant).body("{\"status\": \"" + status + "\"}").post(ORDERS + "/" + id + "/status").then().statusCode(200);
  }

  private static String control() {
    return ConfigProvider.getConfig().getValue("crm.test.fake-subscribers", String.class);
  }

  static void subscribersDown(boolean down) {
    given().post(control() + (down ? "/_fake/down" : "/_fake/up")).then().statusCode(200);
  }

  static void sick(String orderNo, boolean sick) {
    given().queryParam("order_no", orderNo).post(control() + (sick ? "/_fake/sick" : "/_fake/well"))
        .then().statusCode(200);
  }

  /** What the fake took for the tenant on that path, in arrival order. */
  static List<Map<String, Object>> taken(String tenant, String path) {
    return given().queryParam("tenant", tenant).queryParam("path", path).get(control() + "/_fake/events")
        .then().statusCode(200).extract().jsonPath().getList("events");
  }

  /** The tenant's outbox: [seq, event_id, order_no, type] in seq order. */
  static List<String[]> outbox(String tenant) {
    List<String[]> out = new ArrayList<>();
    try (Connection c = TestDatabase.get().connect("crm_order_test");
         PreparedStatement s = c.prepareStatement(
             "SELECT seq, event_id, order_no, type FROM order_event WHERE tenant_id = ? ORDER BY seq")) {
      s.setString(1, tenant);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  static void await(String what, Duration within, BooleanSupplier condition) {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    Assertions.fail("timed out waiting for " + what);
  }
}
