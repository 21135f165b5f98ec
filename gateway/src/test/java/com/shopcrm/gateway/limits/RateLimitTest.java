package com.shopcrm.gateway.limits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.gateway.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RateLimitTest extends GatewayTest {

  private static void setLimits(String tenant, Integer perSecond, Integer keyPerSecond) {
    Map<String, Object> body = new HashMap<>();
    body.put("per_second", perSecond);
    body.put("key_per_second", keyPerSecond);
    given().header("Authorization", PLATFORM).contentType(ContentType.JSON).body(body)
        .put("/api/v1/admin/tenants/" + tenant + "/rate-limits")
        .then().statusCode(200)
        .body("rate_limits.per_second", equalTo(perSecond))
        .body("rate_limits.key_per_second", equalTo(keyPerSecond));
  }

  /**
   * Sends requests until one is refused; the number let through is the burst plus what refilled
   * meanwhile (at {@code perSecond}), so a slow machine does not make the test fail.
   */
  private static Response untilRefused(int burst, int perSecond, IssuedKey... keys) {
    long start = System.nanoTime();
    for (int i = 0; i < burst + 20; i++) {
      Response r = given().header("Authorization", keys[i % keys.length].bearer()).get("/api/v1/customers");
      if (r.statusCode() == 429) {
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(i >= burst && i <= burst + Math.ceil(seconds * perSecond),
            i + " let through in " + seconds + " s with burst " + burst);
        return r;
      }
      r.then().statusCode(200).header("RateLimit-Limit", notNullValue());
    }
    throw new AssertionError("never refused");
  }

  @Test
  void answers429WithRetryAfterOnceAKeyUsedItsBurst() {
    String tenant = newTenant("rl-key");
    setLimits(tenant, null, 1); // 1/s per key; burst scales with the default ratio (100/s, 200) → 2
    IssuedKey key = issueKey(tenant, "marketer");
    given().header("Authorization", key.bearer()).get("/api/v1/customers")
        .then().statusCode(200).header("RateLimit-Limit", "2").header("RateLimit-Remaining", "1");
    Response refused = untilRefused(1, 1, key);
    refused.then().statusCode(429).contentType("application/problem+json")
        .body("status", equalTo(429)).body("detail", containsString("API key"))
        .header("RateLimit-Remaining", "0").header("RateLimit-Reset", notNullValue());
    long retryAfter = Long.parseLong(refused.header("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);

    // another key of the same shop has its own bucket
    given().header("Authorization", issueKey(tenant, "marketer").bearer()).get("/api/v1/customers").then().statusCode(200);
  }

  @Test
  void theShopsKeysShareTheShopsLimit() {
    String tenant = newTenant("rl-shop");
    setLimits(tenant, 2, null); // 2/s for the shop, burst 4; each key alone could do 100/s
    IssuedKey a = issueKey(tenant, "marketer");
    IssuedKey b = issueKey(tenant, "analyst");
    Response last = untilRefused(4, 2, a, b);
    last.then().statusCode(429).header("Retry-After", notNullValue()).body("detail", containsString("shop"));

    // another shop is not affected
    given().header("Authorization", issueKey(newTenant("rl-other"), "marketer").bearer()).get("/api/v1/scores/1")
        .then().statusCode(200);
  }

  @Test
  void refillsAfterRetryAfter() throws Exception {
    String tenant = newTenant("rl-refill");
    setLimits(tenant, null, 1); // 1/s per key, burst 2
    IssuedKey key = issueKey(tenant, "marketer");
    given().header("Authorization", key.bearer()).get("/api/v1/customers").then().statusCode(200);
    given().header("Authorization", key.bearer()).get("/api/v1/customers").then().statusCode(200);
    Response refused = given().header("Authorization", key.bearer()).get("/api/v1/customers");
    refused.then().statusCode(429);
    Thread.sleep(Long.parseLong(refused.header("Retry-After")) * 1000 + 50);
    given().header("Authorization", key.bearer()).get("/api/v1/customers").then().statusCode(200);
  }

  @Test
  void onlyThePlatformKeySetsLimits() {
    String tenant = newTenant("rl-admin");
    String other = newTenant("rl-admin-other");
    IssuedKey admin = issueKey(tenant, "admin");
    Map<String, Object> body = Map.of("per_second", 100000, "key_per_second", 100000);
    given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body(body)
        .put("/api/v1/admin/tenants/" + tenant + "/rate-limits")
        .then().statusCode(403).contentType("application/problem+json");
    given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body(body)
        .put("/api/v1/admin/tenants/" + other + "/rate-limits")
        .then().statusCode(404);
    given().header("Authorization", PLATFORM).contentType(ContentType.JSON).body(Map.of("per_second", 0))
        .put("/api/v1/admin/tenants/" + tenant + "/rate-limits")
        .then().statusCode(400).contentType("application/problem+json");
    given().header("Authorization", PLATFORM).contentType(ContentType.JSON).body(body)
        .put("/api/v1/admin/tenants/no-such-shop/rate-limits")
        .then().statusCode(404);
    given().header("Authorization", admin.bearer()).get("/api/v1/admin/tenants/" + tenant)
        .then().statusCode(200).body("rate_limits.per_second", equalTo(null));
  }
}
