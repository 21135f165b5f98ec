package com.shopcrm.scoring.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Calls as a tenant with roles, order events as order-service sends them, and JDBC checks. */
final class Api {

  static final String DATABASE = "crm_scoring_test";
  static final String EVENTS = "/api/v1/scoring/order-events";
  static final String RUNS = "/api/v1/scoring/runs";
  static final String SCORES = "/api/v1/scores";

  private Api() {
  }

  static RequestSpecification as(String tenant, String... roles) {
    return given().header("Authorization", InternalTokens.bearer(tenant, roles)).contentType(ContentType.JSON);
  }

  /** An order event with order-service's order view as payload (plus a field this consumer does not know). */
  static String event(String eventId, String type, Long customerId, String orderNo, String orderedAt, String total,
      String refunded, String status, String updatedAt) {
    String customer = customerId == null ? "null" : customerId.toString();
    return """
        {"event_id": "%s", "type": "%s", "customer_id": %s, "customer_external_id": "buyer-%s", "order_no": "%s",
         "occurred_at": "%s", "seq": 1, "payload": {"id": 1, "order_no": "%s", "customer_id": %s,
         "customer_external_id": "buyer-%s", "customer_pending": false, "ordered_at": "%s", "total_amount": %s,
         "refunded_amount": %s, "status": "%s", "items": [{"sku": "S", "quantity": 1}], "channel": "app",
         "created_at": "%s", "updated_at": "%s", "something_new": {"x": 1}}}"""
        .formatted(eventId, type, customer, customer, orderNo, updatedAt, orderNo, customer, customer, orderedAt, total,
            refunded, status, updatedAt, updatedAt);
  }

  static String completed(String eventId, Long customerId, String orderNo, String orderedAt, String total) {
    return event(eventId, "order.completed", customerId, orderNo, orderedAt, total, "0", "completed",
        "2024-07-01T00:00:00Z");
  }

  static String batch(String... events) {
    return "{\"events\": [" + String.join(",", events) + "]}";
  }

  static long startRun(String tenant, String body) {
    return as(tenant, "admin").body(body).post(RUNS).then().statusCode(202).extract().jsonPath().getLong("id");
  }

  /** Polls the run until it is completed or failed (60 s at most). */
  static JsonPath awaitRun(String tenant, long id) {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      JsonPath run = as(tenant, "analyst").get(RUNS + "/" + id).then().statusCode(200).extract().jsonPath();
      String status = run.getString("status");
      if ("completed".equals(status) || "failed".equals(status)) {
        return run;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    fail("run " + id + " did not finish");
    return null;
  }

  /** Runs a JDBC update (or an INSERT ... RETURNING through {@link #count}); answers the rows changed. */
  static int exec(String sql, Object... args) {
    try (Connection c = TestDatabase.get().connect(DATABASE); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(String sql, Object... args) {
    try (Connection c = TestDatabase.get().connect(DATABASE); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static long count(String sql, Object... args) {
    try (Connection c = TestDatabase.get().connect(DATABASE); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
