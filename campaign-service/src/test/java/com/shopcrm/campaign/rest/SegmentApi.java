package com.shopcrm.campaign.rest;

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
final class SegmentApi {

  static final String DATABASE = "crm_campaign_test";
  static final String SEGMENTS = "/api/v1/segments";

  private SegmentApi() {
  }

  static RequestSpecification as(String tenant, String... roles) {
    return given().header("Authorization", InternalTokens.bearer(tenant, roles)).contentType(ContentType.JSON);
  }

  static void syncProfiles(String tenant, String profilesJson) {
    as(tenant, "integration").body("{\"profiles\": " + profilesJson + "}")
        .post(SEGMENTS + "/profiles/sync").then().log().ifValidationFails().statusCode(200);
  }

  static void syncEvents(String tenant, String eventsJson) {
    as(tenant, "integration").body("{\"events\": " + eventsJson + "}")
        .post(SEGMENTS + "/events/sync").then().log().ifValidationFails().statusCode(200);
  }

  static long create(String tenant, String rule) {
    return as(tenant, "marketer").body("{\"name\": \"s\", \"rule\": " + rule + "}").post(SEGMENTS)
        .then().statusCode(201).extract().jsonPath().getLong("id");
  }

  static long count(String tenant, long segment) {
    return as(tenant, "analyst").get(SEGMENTS + "/" + segment + "/count")
        .then().statusCode(200).extract().jsonPath().getLong("count");
  }

  /** Live count of an unsaved rule. */
  static long countRule(String tenant, String rule) {
    return as(tenant, "marketer").body("{\"rule\": " + rule + "}").post(SEGMENTS + "/preview")
        .then().statusCode(200).extract().jsonPath().getLong("count");
  }

  static long sql(String sql, Object... args) {
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
