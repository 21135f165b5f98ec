package com.shopcrm.gateway;

import static io.restassured.RestAssured.given;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;

/**
 * What every gateway test shares: the real database, the fake services, the platform key, and
 * helpers to make a shop and issue it a key through the admin API.
 */
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_gateway_test"))
@QuarkusTestResource(FakeUpstreams.class)
public abstract class GatewayTest {

  public static final String PLATFORM = "Bearer " + FakeUpstreams.PLATFORM_KEY;

  /** A key just issued: its id and the key itself. */
  public record IssuedKey(String id, String key) {
    public String bearer() {
      return "Bearer " + key;
    }
  }

  protected static String newTenant(String prefix) {
    String id = InternalTokens.newTenant(prefix);
    given().header("Authorization", PLATFORM).contentType(ContentType.JSON)
        .body(Map.of("id", id, "name", "Shop " + id))
        .post("/api/v1/admin/tenants").then().statusCode(201);
    return id;
  }

  protected static IssuedKey issueKey(String tenantId, String... roles) {
    Response r = given().header("Authorization", PLATFORM).contentType(ContentType.JSON)
        .body(Map.of("tenant_id", tenantId, "roles", List.of(roles)))
        .post("/api/v1/admin/api-keys");
    r.then().statusCode(201);
    return new IssuedKey(r.path("id"), r.path("key"));
  }
}
