package com.shopcrm.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.testing.PostgresTestResource;
import com.shopcrm.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FakeCustomerService.class)
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_order_test"))
class ServiceWiringTest {

  @Test
  void migratesItsOwnDatabaseAtStart() throws Exception {
    try (Connection c = TestDatabase.get().connect("crm_order_test");
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'")) {
      rs.next();
      assertTrue(rs.getInt(1) == 1, "V1 migration applied");
    }
  }

  @Test
  void isReadyOnlyWithItsDatabase() {
    given().get("/q/health/ready").then().statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", org.hamcrest.Matchers.hasItem(containsString("Reactive PostgreSQL")));
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/health/started").then().statusCode(200);
  }

  @Test
  void servesOpenApiAndPrometheusMetrics() {
    given().get("/q/openapi?format=json").then().statusCode(200).body("openapi", org.hamcrest.Matchers.startsWith("3."));
    given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
  }

  @Test
  void rejectsApiCallWithoutInternalToken() {
    given().get("/api/v1/orders").then().statusCode(401);
    given().header("Authorization", "Bearer not-a-jwt").get("/api/v1/orders").then().statusCode(401);
  }
}
