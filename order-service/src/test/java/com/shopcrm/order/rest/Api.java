package com.shopcrm.order.rest;

import static io.restassured.RestAssured.given;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.eclipse.microprofile.config.ConfigProvider;

/** Calls as a tenant with roles, JDBC checks of what the service wrote, and the fake customer-service. */
final class Api {

  static final String DATABASE = "crm_order_test";
  static final String ORDERS = "/api/v1/orders";

  private Api() {
  }

  static RequestSpecification as(String tenant, String... roles) {
    return given().header("Authorization", InternalTokens.bearer(tenant, roles)).contentType(ContentType.JSON);
  }

  static RequestSpecification admin(String tenant) {
    return as(tenant, "admin");
  }

  static String order(String orderNo, String buyer, String total) {
    return """
        {"order_no": "%s", "customer_external_id": "%s", "ordered_at": "2024-03-01T10:15:00+08:00",
         "total_amount": %s, "items": [{"sku": "SKU-1", "product_name": "Tea", "category": "drinks", "quantity": 2,
         "unit_price": 50.00}]}""".formatted(orderNo, buyer, total);
  }

  /** Creates an order through the API (status as given) and returns its id. */
  static long create(String tenant, String orderNo, String total, String status) {
    String body = order(orderNo, "buyer-" + orderNo, total).replaceFirst("\\{", "{\"status\": \"" + status + "\", ");
    return admin(tenant).body(body).post(ORDERS).then().statusCode(201).extract().jsonPath().getLong("id");
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

  static String fakeCustomers() {
    return ConfigProvider.getConfig().getValue("quarkus.rest-client.customer-service.url", String.class);
  }

  static void customerServiceDown(boolean down) {
    given().post(fakeCustomers() + (down ? "/_fake/down" : "/_fake/up")).then().statusCode(200);
  }

  /** The batch calls the fake received for this tenant's buyers (by external id prefix). */
  static JsonPath fakeCalls() {
    return given().get(fakeCustomers() + "/_fake/calls").then().statusCode(200).extract().jsonPath();
  }
}
