package com.shopcrm.e2e;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.shopcrm.launcher.ServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a newcomer does first, through the gateway only: the platform key makes a tenant and a
 * key; the tenant's key creates a customer, reads it and lists it. Another tenant sees none of
 * it, and a service's own port does not let anyone past the gateway.
 */
@ExtendWith(PlatformExtension.class)
class NewcomerPathTest {


  private final E2ePlatform platform;

  NewcomerPathTest(E2ePlatform platform) {
    this.platform = platform;
  }

  private Map<String, Object> customer(String externalId) {
    return Map.of(
        "name", "李雷",
        "phone", "15212343170",
        "email", "li.lei@example.com",
        "external_id", externalId,
        "tags", List.of("vip", "newcomer"));
  }

  private long createCustomer(E2ePlatform.TenantKey tenant, String externalId) {
    return platform.as(tenant)
        .body(customer(externalId))
        .post("/api/v1/customers")
        .then().statusCode(201)
        .body("id", notNullValue())
        .extract().jsonPath().getLong("id");
  }

  @Test
  void platformKeyCreatesATenantAndAKey() {
    String tenantId = E2ePlatform.uniqueTenantId("new");
    platform.asPlatformAdmin()
        .body(Map.of("id", tenantId, "name", "New Shop"))
        .post("/api/v1/admin/tenants")
        .then().statusCode(201)
        .body("id", equalTo(tenantId))
        .body("name", equalTo("New Shop"));

    platform.asPlatformAdmin()
        .body(Map.of("tenant_id", tenantId, "roles", List.of("admin")))
        .post("/api/v1/admin/api-keys")
        .then().statusCode(201)
        .body("id", notNullValue())
        .body("key", startsWith("crm_"))
        .body("tenant_id", equalTo(tenantId));

    // Creating a tenant needs the platform key: a missing one is refused.
    platform.gateway()
        .body(Map.of("id", E2ePlatform.uniqueTenantId("nokey"), "name", "No Key"))
        .post("/api/v1/admin/tenants")
        .then().statusCode(401);
  }

  @Test
  void tenantKeyCreatesReadsAndListsACustomer() {
    E2ePlatform.TenantKey shop = platform.newTenant("shop");

    long id = createCustomer(shop, "buyer-1");

    platform.as(shop).get("/api/v1/customers/{id}", id)
        .then().statusCode(200)
        .body("id", equalTo((int) id))
        .body("name", equalTo("李雷"))
        .body("external_id", equalTo("buyer-1"))
        .body("email", equalTo("li.lei@example.com"))
        .body("phone", equalTo("15212343170"))
        .body("tags", containsInAnyOrder("vip", "newcomer"));

    platform.as(shop).queryParam("limit", 10).header("X-Request-Id", "e2e-list-42").get("/api/v1/customers")
        .then().statusCode(200)
        .header("X-Request-Id", equalTo("e2e-list-42"))
        .body("items", hasSize(1))
        .body("items[0].id", equalTo((int) id))
        .body("items[0].name", equalTo("李雷"))
        .body("next_cursor", nullValue());
  }

  @Test
  void requestWithoutKeyIsUnauthorized() {
    platform.gateway().get("/api/v1/customers")
        .then().statusCode(401);
    platform.gateway().header("Authorization", "Bearer crm_not_a_real_key")
        .get("/api/v1/customers")
        .then().statusCode(401);
  }

  @Test
  void otherTenantSeesNotFoundAndAnEmptyList() {
    E2ePlatform.TenantKey shopA = platform.newTenant("a");
    E2ePlatform.TenantKey shopB = platform.newTenant("b");
    long id = createCustomer(shopA, "buyer-a");

    platform.as(shopB).get("/api/v1/customers/{id}", id)
        .then().statusCode(404)
        .contentType(startsWith("application/problem+json"));
    platform.as(shopB).get("/api/v1/customers")
        .then().statusCode(200)
        .body("items", empty());
    platform.as(shopA).get("/api/v1/customers/{id}", id)
        .then().statusCode(200);
  }

  @Test
  void serviceReachedDirectlyWithoutTokenIsUnauthorized() {
    platform.direct(ServiceSpec.CUSTOMER).get("/api/v1/customers")
        .then().statusCode(401);
    // Not even with a tenant's API key: services accept only the gateway's signed token.
    E2ePlatform.TenantKey shop = platform.newTenant("direct");
    platform.direct(ServiceSpec.CUSTOMER).header("Authorization", "Bearer " + shop.apiKey())
        .get("/api/v1/customers")
        .then().statusCode(401);
  }

  @Test
  void requestIdIsReturned() {
    platform.gateway().get("/api/v1/customers")
        .then().statusCode(401)
        .header("X-Request-Id", not(emptyOrNullString()));
    platform.asPlatformAdmin()
        .body(Map.of("id", E2ePlatform.uniqueTenantId("rid"), "name", "Request Id"))
        .post("/api/v1/admin/tenants")
        .then().statusCode(201)
        .header("X-Request-Id", not(emptyOrNullString()));
    platform.asPlatformAdmin().header("X-Request-Id", "e2e-trace-42")
        .body(Map.of("id", E2ePlatform.uniqueTenantId("rid"), "name", "Request Id"))
        .post("/api/v1/admin/tenants")
        .then().statusCode(201)
        .header("X-Request-Id", equalTo("e2e-trace-42"));
  }
}
