package com.shopcrm.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ServiceWiringTest extends GatewayTest {

  @Test
  void migratesItsOwnDatabaseAtStart() throws Exception {
    try (Connection c = TestDatabase.get().connect("crm_gateway_test");
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'")) {
      rs.next();
      assertEquals(1, rs.getInt(1), "V1 migration applied");
    }
  }

  @Test
  void isReadyOnlyWithItsDatabase() {
    given().get("/q/health/ready").then().statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/health/started").then().statusCode(200);
  }

  @Test
  void servesOpenApiWithBearerSchemeAndPrometheusMetrics() {
    given().get("/q/openapi?format=json").then().statusCode(200)
        .body("openapi", startsWith("3."))
        .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/admin/tenants"))
        .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/admin/api-keys"))
        .body("components.securitySchemes.apiKey.type", equalTo("http"))
        .body("components.securitySchemes.apiKey.scheme", equalTo("bearer"))
        .body("security[0].apiKey", notNullValue());
    given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
  }

  @Test
  void namesProxiedRequestsInMetricsByRouteNotByPath() {
    String tenant = newTenant("metrics");
    IssuedKey key = issueKey(tenant, "analyst");
    given().header("Authorization", key.bearer()).get("/api/v1/customers/8123").then().statusCode(200);
    given().header("Authorization", "Bearer crm_no-such-key-anywhere-00000").get("/api/v1/made-up-" + tenant).then().statusCode(401);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("uri=\"/api/v1/customers/*\""), "route named");
    org.junit.jupiter.api.Assertions.assertFalse(metrics.contains("/api/v1/customers/8123"), "no series per id");
    org.junit.jupiter.api.Assertions.assertFalse(metrics.contains("made-up-" + tenant), "no series per made-up path");
  }
}
