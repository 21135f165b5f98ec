package com.shopcrm.e2e;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rest of the README's path through the real gateway and services: tag, find duplicates and
 * merge customers; roles and revoked keys as the gateway and customer-service enforce them
 * together; every service reachable through its route.
 */
@ExtendWith(PlatformExtension.class)
class CustomerJourneyTest {

  private final E2ePlatform platform;

  CustomerJourneyTest(E2ePlatform platform) {
    this.platform = platform;
  }

  private long create(E2ePlatform.TenantKey shop, Map<String, Object> body) {
    return platform.as(shop).body(body).post("/api/v1/customers")
        .then().statusCode(201).extract().jsonPath().getLong("id");
  }

  @Test
  void tagsFindsDuplicatesAndMergesCustomers() {
    E2ePlatform.TenantKey shop = platform.newTenant("journey");
    long alice = create(shop, Map.of("external_id", "tb_alice", "platform", "taobao", "name", "Alice",
        "phone", "15212343170", "tags", List.of("vip")));
    long alsoAlice = create(shop, Map.of("external_id", "jd_alice", "platform", "jd", "name", "Alice W.",
        "phone", "+86 152 1234 3170", "email", "alice@example.com"));

    platform.as(shop).body(Map.of("tags", List.of("repeat_buyer"))).post("/api/v1/customers/{id}/tags", alice)
        .then().statusCode(200);
    platform.as(shop).queryParam("tag", "repeat_buyer").get("/api/v1/customers")
        .then().statusCode(200).body("items.id", equalTo(List.of((int) alice)));

    platform.as(shop).get("/api/v1/customers/{id}/duplicates", alice)
        .then().statusCode(200)
        .body("items.customer.id", hasItem((int) alsoAlice))
        .body("items[0].matched_on", hasItem("phone"));

    platform.as(shop).body(Map.of("survivor_id", alice, "merged_id", alsoAlice)).post("/api/v1/customers/merge")
        .then().statusCode(200)
        .body("id", equalTo((int) alice))
        .body("email", equalTo("alice@example.com"))
        .body("tags", containsInAnyOrder("vip", "repeat_buyer"));
    platform.as(shop).get("/api/v1/customers/{id}", alsoAlice)
        .then().statusCode(410)
        .contentType(startsWith("application/problem+json"))
        .body("merged_into", equalTo((int) alice));
    platform.as(shop).get("/api/v1/customers").then().statusCode(200).body("items", hasSize(1));
  }

  @Test
  void analystSeesMaskedContactsAndCannotWrite() {
    E2ePlatform.TenantKey shop = platform.newTenant("roles");
    long id = create(shop, Map.of("name", "王芳", "phone", "15212343170", "email", "zhang@example.com"));
    String analystKey = (String) platform.newKey(shop.tenantId(), "analyst").get("key");
    E2ePlatform.TenantKey analyst = new E2ePlatform.TenantKey(shop.tenantId(), analystKey);

    platform.as(analyst).get("/api/v1/customers/{id}", id)
        .then().statusCode(200)
        .body("phone", equalTo("152****3170"))
        .body("email", equalTo("z***@example.com"));
    platform.as(analyst).body(Map.of("name", "Nope")).post("/api/v1/customers")
        .then().statusCode(403).contentType(startsWith("application/problem+json"));
    String marketerKey = (String) platform.newKey(shop.tenantId(), "marketer").get("key");
    platform.as(new E2ePlatform.TenantKey(shop.tenantId(), marketerKey)).delete("/api/v1/customers/{id}", id)
        .then().statusCode(403);
    platform.as(shop).delete("/api/v1/customers/{id}", id).then().statusCode(204);
  }

  @Test
  void revokedKeyIsRefusedAtOnce() {
    E2ePlatform.TenantKey shop = platform.newTenant("revoke");
    Map<String, Object> key = platform.newKey(shop.tenantId(), "marketer");
    E2ePlatform.TenantKey marketer = new E2ePlatform.TenantKey(shop.tenantId(), (String) key.get("key"));
    platform.as(marketer).get("/api/v1/customers").then().statusCode(200);

    platform.asPlatformAdmin().delete("/api/v1/admin/api-keys/{id}", key.get("id")).then().statusCode(204);

    platform.as(marketer).get("/api/v1/customers")
        .then().statusCode(401).contentType(startsWith("application/problem+json"));
  }

  @Test
  void retriedCreateWithTheSameIdempotencyKeyWritesOnce() {
    E2ePlatform.TenantKey shop = platform.newTenant("idem");
    String key = UUID.randomUUID().toString();
    Map<String, Object> body = Map.of("name", "Retry Buyer", "external_id", "retry-1");
    int first = platform.as(shop).header("Idempotency-Key", key).body(body).post("/api/v1/customers")
        .then().statusCode(201).extract().path("id");
    platform.as(shop).header("Idempotency-Key", key).body(body).post("/api/v1/customers")
        .then().statusCode(201).body("id", equalTo(first));
    platform.as(shop).get("/api/v1/customers").then().body("items", hasSize(1));
  }

  @Test
  void everyServiceIsReachableThroughItsRoute() {
    E2ePlatform.TenantKey shop = platform.newTenant("routes");
    platform.as(shop).get("/api/v1/orders").then().statusCode(200).body("items", hasSize(0));
    platform.as(shop).get("/api/v1/scores/{id}", 1).then().statusCode(404)
        .contentType(startsWith("application/problem+json"));
    platform.as(shop).get("/api/v1/segments").then().statusCode(200).body("items", hasSize(0));
  }
}
