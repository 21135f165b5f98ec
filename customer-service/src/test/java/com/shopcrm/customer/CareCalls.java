package com.shopcrm.customer;

import static io.restassured.RestAssured.given;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Calls as a tenant with roles, and JDBC checks, for the membership and ticket tests. */
public final class CareCalls {

  public static final String DATABASE = "crm_customer_test";

  private CareCalls() {
  }

  public static RequestSpecification as(String tenant, String... roles) {
    return given().header("Authorization", InternalTokens.bearer(tenant, roles)).contentType(ContentType.JSON);
  }

  public static long customer(String tenant, String json) {
    return as(tenant, "admin").body(json).post("/api/v1/customers").then().statusCode(201).extract().jsonPath()
        .getLong("id");
  }

  public static long scalar(String sql, Object... args) {
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
