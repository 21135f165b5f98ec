package com.shopcrm.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.gateway.FakeUpstreams;
import com.shopcrm.gateway.GatewayTest;
import com.shopcrm.gateway.auth.ApiKeySecrets;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminApiTest extends GatewayTest {

  @Test
  void createsTenantAndRejectsDuplicate() {
    String id = InternalTokens.newTenant("shop");
    given().header("Authorization", PLATFORM).contentType(ContentType.JSON)
        .body(Map.of("id", id, "name", "Shop A 旗舰店"))
        .post("/api/v1/admin/tenants")
        .then().statusCode(201)
        .body("id", equalTo(id))
        .body("name", equalTo("Shop A 旗舰店"))
        .body("created_at", notNullValue());

    given().header("Authorization", PLATFORM).contentType(ContentType.JSON)
        .body(Map.of("id", id, "name", "Again"))
        .post("/api/v1/admin/tenants")
        .then().statusCode(409).contentType("application/problem+json");

    given().header("Authorization", PLATFORM).get("/api/v1/admin/tenants?limit=1")
        .then().statusCode(200).body("items", hasSize(1)).body("next_cursor", notNullValue());
  }

  @Test
  void rejectsTenantIdThatIsNoSlug() {
    for (String bad : List.of("Shop A", "-shop", "a", "shop_a", "x".repeat(64))) {
      given().header("Authorization", PLATFORM).contentType(ContentType.JSON)
          .body(Map.of("id", bad, "name", "Bad"))
          .post("/api/v1/admin/tenants")
          .then().statusCode(400).contentType("application/problem+json")
          .body("errors.field", hasItem("id"));
    }
    given().header("Authorization", PLATFORM).contentType(ContentType.JSON)
        .body("{\"id\": \"shop-ok\", \"name\": \"x\", \"extra\": 1}")
        .post("/api/v1/admin/tenants")
        .then().statusCode(400);
  }

  @Test
  void issuesKeyShownOnceAndStoresOnlyItsHash() throws Exception {
    String tenant = newTenant("keys");
    Response issued = given().header("Authorization", PLATFORM).contentType(ContentType.JSON)
        .body(Map.of("tenant_id", tenant, "roles", List.of("marketer", "analyst"), "name", "crm sync"))
        .post("/api/v1/admin/api-keys");
    issued.then().statusCode(201)
        .body("id", notNullValue())
        .body("key", startsWith("crm_"))
        .body("tenant_id", equalTo(tenant))
        .body("roles", equalTo(List.of("marketer", "analyst")))
        .body("name", equalTo("crm sync"))
        .body("created_at", notNullValue());
    String id = issued.path("id");
    String key = issued.path("key");
    assertTrue(key.length() >= 40, "32 random bytes in base64url");

    String listing = given().header("Authorization", PLATFORM).get("/api/v1/admin/api-keys?tenant_id=" + tenant)
        .then().statusCode(200)
        .body("items.id", equalTo(List.of(id)))
        .body("items[0].revoked_at", nullValue())
        .extract().asString();
    assertFalse(listing.contains(key), "a listing never shows the key");
    assertFalse(listing.contains(ApiKeySecrets.hash(key)), "nor its hash");

    try (Connection c = TestDatabase.get().connect("crm_gateway_test");
         PreparedStatement s = c.prepareStatement("SELECT key_hash, row_to_json(k)::text FROM api_key k WHERE id = ?")) {
      s.setObject(1, UUID.fromString(id));
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(ApiKeySecrets.hash(key), rs.getString(1));
        assertFalse(rs.getString(2).contains(key), "the key itself is stored nowhere in the row");
      }
    }

    // the key works: it reaches a service route
    given().header("Authorization", "Bearer " + key).get("/api/v1/customers").then().statusCode(200);
  }

  @Test
  void refusesOversizedBodiesOnItsOwnEndpoints() {
    given().header("Authorization", PLATFORM).contentType(ContentType.JSON)
        .body("{\"id\": \"big-shop\", \"name\": \"" + "x".repeat(100 * 1024) + "\"}")
        .post("/api/v1/admin/tenants")
        .then().statusCode(413).contentType("application/problem+json");
  }

  @Test
  void validatesRolesAndTenant() {
    String tenant = newTenant("roles");
    given().header("Authorization", PLATFORM).contentType(ContentType.JSON)
        .body(Map.of("tenant_id", tenant, "roles", List.of("admin", "superuser")))
        .post("/api/v1/admin/api-keys")
        .then().statusCode(400).contentType("application/problem+json")
        .body("errors[0].field", equalTo("roles"))
        .body("detail", containsString("superuser"));
    given().header("Authorization", PLATFORM).contentType(ContentType.JSON)
        .body(Map.of("tenant_id", tenant, "roles", List.of()))
        .post("/api/v1/admin/api-keys")
        .then().statusCode(400).body("errors[0].field", equalTo("roles"));
    given().header("Authorization", PLATFORM).contentType(ContentType.JSON)
        .body(Map.of("tenant_id", "no-such-shop-" + UUID.randomUUID().toString().substring(0, 8), "roles", List.of("admin")))
        .post("/api/v1/admin/api-keys")
        .then().statusCode(400).body("errors[0].field", equalTo("tenant_id"));
    given().header("Authorization", PLATFORM).contentType(ContentType.JSON)
        .body(Map.of("tenant_id", tenant, "roles", "admin"))
        .post("/api/v1/admin/api-keys")
        .then().log().ifValidationFails().statusCode(400).body("errors[0].field", equalTo("roles"));
  }

  @Test
  void revokedKeyIsRejectedAtOnce() {
    String tenant = newTenant("revoke");
    IssuedKey key = issueKey(tenant, "agent");
    given().header("Authorization", key.bearer()).get("/api/v1/customers/1").then().statusCode(200);

    given().header("Authorization", PLATFORM).delete("/api/v1/admin/api-keys/" + key.id()).then().statusCode(204);

    given().header("Authorization", key.bearer()).get("/api/v1/customers/1")
        .then().statusCode(401).contentType("application/problem+json")
        .header("WWW-Authenticate", startsWith("Bearer"));
    given().header("Authorization", PLATFORM).get("/api/v1/admin/api-keys?tenant_id=" + tenant)
        .then().statusCode(200).body("items[0].revoked_at", notNullValue());
    given().header("Authorization", PLATFORM).delete("/api/v1/admin/api-keys/" + UUID.randomUUID()).then().statusCode(404);
  }

  @Test
  void answers401WithoutAUsableKey() {
    given().get("/api/v1/admin/tenants")
        .then().statusCode(401).contentType("application/problem+json")
        .header("WWW-Authenticate", startsWith("Bearer"))
        .body("status", equalTo(401));
    for (String header : List.of("Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer short", "Bearer a b c d e f g h i j k l",
        "Bearer crm_" + "x".repeat(300), "Bearer crm_unknownunknownunknownunknown")) {
      given().header("Authorization", header).get("/api/v1/customers")
          .then().statusCode(401).contentType("application/problem+json")
          .header("WWW-Authenticate", containsString("Bearer"));
    }
    given().get("/api/v1/no-such-route").then().statusCode(401);
    given().header("Authorization", PLATFORM).get("/api/v1/no-such-route").then().statusCode(404);
  }

  @Test
  void shopKeysCannotManageTenants() {
    String tenant = newTenant("noadmin");
    IssuedKey admin = issueKey(tenant, "admin");
    given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
        .body(Map.of("id", InternalTokens.newTenant("sneaky"), "name", "x"))
        .post("/api/v1/admin/tenants")
        .then().statusCode(403).contentType("application/problem+json");
    given().header("Authorization", admin.bearer()).get("/api/v1/admin/tenants").then().statusCode(403);
  }

  @Test
  void shopAdminManagesOnlyItsOwnKeys() {
    String tenant = newTenant("own");
    String other = newTenant("other");
    IssuedKey admin = issueKey(tenant, "admin");
    IssuedKey marketer = issueKey(tenant, "marketer");
    IssuedKey othersKey = issueKey(other, "agent");

    given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
        .body(Map.of("tenant_id", tenant, "roles", List.of("analyst")))
        .post("/api/v1/admin/api-keys").then().statusCode(201).body("tenant_id", equalTo(tenant));
    given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
        .body(Map.of("tenant_id", other, "roles", List.of("admin")))
        .post("/api/v1/admin/api-keys").then().statusCode(403);
    given().header("Authorization", admin.bearer()).get("/api/v1/admin/api-keys")
        .then().statusCode(200).body("items", hasSize(3)).body("items.tenant_id", not(hasItem(other)));
    given().header("Authorization", admin.bearer()).get("/api/v1/admin/api-keys?tenant_id=" + other).then().statusCode(403);
    given().header("Authorization", admin.bearer()).delete("/api/v1/admin/api-keys/" + othersKey.id()).then().statusCode(404);

    given().header("Authorization", marketer.bearer()).contentType(ContentType.JSON)
        .body(Map.of("tenant_id", tenant, "roles", List.of("admin")))
        .post("/api/v1/admin/api-keys").then().statusCode(403);
    given().header("Authorization", marketer.bearer()).get("/api/v1/admin/api-keys").then().statusCode(403);
  }

  @Test
  void bootstrapKeyFromConfigIsAStoredPlatformKey() throws Exception {
    try (Connection c = TestDatabase.get().connect("crm_gateway_test");
         PreparedStatement s = c.prepareStatement(
             "SELECT tenant_id, revoked_at FROM api_key WHERE key_hash = ?")) {
      s.setString(1, ApiKeySecrets.hash(FakeUpstreams.PLATFORM_KEY));
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next(), "the bootstrap key is stored (hashed)");
        assertEquals(null, rs.getString(1), "a platform key has no tenant");
        assertEquals(null, rs.getObject(2));
      }
    }
    given().header("Authorization", PLATFORM).get("/api/v1/admin/tenants").then().statusCode(200);
  }
}
