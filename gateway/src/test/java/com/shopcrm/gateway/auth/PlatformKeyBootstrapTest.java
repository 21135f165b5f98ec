package com.shopcrm.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.testing.PostgresTestResource;
import com.shopcrm.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A gateway started on an empty database with no {@code CRM_BOOTSTRAP_ADMIN_KEY}: it makes a
 * platform key itself, once.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestProfile(PlatformKeyBootstrapTest.EmptyDatabaseNoBootstrapKey.class)
class PlatformKeyBootstrapTest {

  static final String DATABASE = "crm_gateway_bootstrap_test";

  public static class EmptyDatabaseNoBootstrapKey implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("crm.gateway.bootstrap-admin-key", "");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(EmptyDatabase.class, Map.of("database", DATABASE)));
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  /** {@link PostgresTestResource} on a database emptied first, as on a first start. */
  public static class EmptyDatabase extends PostgresTestResource {
    @Override
    public Map<String, String> start() {
      TestDatabase db = TestDatabase.get();
      try (Connection c = db.connect("postgres"); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return super.start();
    }
  }

  @Inject
  PlatformKeyBootstrap bootstrap;

  @Test
  @Order(1)
  void firstStartGeneratesOnePlatformKeyAndLaterStartsKeepIt() throws Exception {
    assertEquals(1, activePlatformKeys(), "the first start generated one");
    assertNull(bootstrap.run(null), "a second start generates nothing");
    assertEquals(1, activePlatformKeys());

    sql("UPDATE api_key SET revoked_at = now() WHERE tenant_id IS NULL");
    String generated = bootstrap.run(null);
    assertNotNull(generated, "with every platform key revoked, a new one is made");
    assertTrue(generated.startsWith("crm_"));
    given().header("Authorization", "Bearer " + generated).get("/api/v1/admin/tenants").then().statusCode(200);
  }

  @Test
  @Order(2)
  void configuredKeyBecomesAPlatformKeyAndARevokedOneStaysRevoked() throws Exception {
    String configured = "crm_configured-by-the-operator-1234";
    assertNull(bootstrap.run(configured));
    given().header("Authorization", "Bearer " + configured).get("/api/v1/admin/tenants").then().statusCode(200);
    assertNull(bootstrap.run(configured), "storing it again is a no-op");

    String id = queryString("SELECT id::text FROM api_key WHERE key_hash = '" + ApiKeySecrets.hash(configured) + "'");
    given().header("Authorization", "Bearer " + configured).delete("/api/v1/admin/api-keys/" + id).then().statusCode(204);
    bootstrap.run(configured);
    given().header("Authorization", "Bearer " + configured).get("/api/v1/admin/tenants").then().statusCode(401);

    assertThrows(IllegalStateException.class, () -> bootstrap.run("short"));
    assertThrows(IllegalStateException.class, () -> bootstrap.run("has spaces in the admin key"));
  }

  private static int activePlatformKeys() throws Exception {
    try (Connection c = TestDatabase.get().connect(DATABASE); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM api_key WHERE tenant_id IS NULL AND revoked_at IS NULL")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String queryString(String query) throws Exception {
    try (Connection c = TestDatabase.get().connect(DATABASE); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = TestDatabase.get().connect(DATABASE); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
