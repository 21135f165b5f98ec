package com.shopcrm.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * What every service of the platform must do, checked the same way in each: migrate its own
 * database at start, answer the health probes (ready only with its database), serve OpenAPI and
 * Prometheus metrics, and refuse {@code /api} calls without the gateway's internal token. A
 * service's {@code ServiceWiringTest} extends this with its database and one of its API paths.
 */
public abstract class ServiceWiringChecks {

  /** The test database the service runs on, as named in its {@code PostgresTestResource}. */
  protected abstract String database();

  /** One of the service's {@code /api} paths. */
  protected abstract String apiPath();

  @Test
  void migratesItsOwnDatabaseAtStart() throws Exception {
    try (Connection c = TestDatabase.get().connect(database());
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
  void servesOpenApiAndPrometheusMetrics() {
    given().get("/q/openapi?format=json").then().statusCode(200).body("openapi", startsWith("3."));
    given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
  }

  @Test
  void rejectsApiCallWithoutInternalToken() {
    given().get(apiPath()).then().statusCode(401);
    given().header("Authorization", "Bearer not-a-jwt").get(apiPath()).then().statusCode(401);
  }

  @Test
  void remembersVerifiedInternalTokensUntilTheyExpire() throws Exception {
    // common's VerifiedTokenCache stands in for smallrye-jwt's parser (unit-tested in common)
    Object parser = Arc.container().instance(Class.forName("io.smallrye.jwt.auth.principal.JWTParser")).get();
    assertEquals("com.shopcrm.common.auth.VerifiedTokenCache", ClientProxy.unwrap(parser).getClass().getName());
  }
}
