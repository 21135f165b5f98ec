package com.shopcrm.customer.rest;

import static io.restassured.RestAssured.given;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Calls as a tenant with roles, and JDBC checks of what the service wrote. */
final class Api {

  static final String DATABASE = "crm_customer_test";
  static final String CUSTOMERS = "/api/v1/customers";

  private Api() {
  }

  static RequestSpecification as(String tenant, String... roles) {
    return given().header("Authorization", InternalTokens.bearer(tenant, roles)).contentType(ContentType.JSON);
  }

  static RequestSpecification admin(String tenant) {
    return as(tenant, "admin");
  }

  /** Creates a customer through the API and returns its id. */
  static long create(String tenant, String json) {
    return admin(tenant).body(json).post(CUSTOMERS).then().statusCode(201).extract().jsonPath().getLong("id");
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
