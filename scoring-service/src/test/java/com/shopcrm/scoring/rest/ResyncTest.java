package com.shopcrm.scoring.rest;

import static com.shopcrm.scoring.rest.Api.SCORES;
import static com.shopcrm.scoring.rest.Api.as;
import static com.shopcrm.scoring.rest.Api.completed;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.shopcrm.scoring.FakeOrderService;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_scoring_test"))
@QuarkusTestResource(FakeOrderService.class)
class ResyncTest {

  private static String fakeUrl() {
    return ConfigProvider.getConfig().getValue("quarkus.rest-client.order-service.url", String.class);
  }

  private static JsonPath awaitResync(String tenant, long id) {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      JsonPath job = as(tenant, "admin").get("/api/v1/scoring/resync/" + id).then().statusCode(200).extract()
          .jsonPath();
      if (!"running".equals(job.getString("status"))) {
        return job;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    fail("resync did not finish");
    return null;
  }

  @Test
  void pullsOrderEventsPageByPageAndAppliesThemOnce() {
    String shop = InternalTokens.newTenant("resync");
    StringBuilder events = new StringBuilder();
    for (int i = 1; i <= 5; i++) {
      String e = completed("rs-" + i, 77L, "RS-" + i, "2024-0" + i + "-15T10:00:00+08:00", "10.00")
          .replace("\"seq\": 1", "\"seq\": " + i);
      events.append(i > 1 ? "," : "").append(e);
    }
    given().body("{\"events\": [" + events + "]}").post(fakeUrl() + "/_fake/events").then().statusCode(200);

    long id = as(shop, "admin").body("{}").post("/api/v1/scoring/resync").then().statusCode(202)
        .extract().jsonPath().getLong("id");
    JsonPath job = awaitResync(shop, id);
    assertEquals("completed", job.getString("status"), job.prettify());
    assertEquals(5, job.getInt("events_received"));
    assertEquals(5, job.getInt("events_applied"));
    assertEquals(5, job.getLong("after_seq"));
    as(shop, "analyst").get(SCORES + "/77").then().statusCode(200).body("purchase_days", equalTo(5))
        .body("historical_value", equalTo(50.0f));

    // again: every event is a duplicate, nothing changes
    long again = as(shop, "admin").body("{}").post("/api/v1/scoring/resync").then().statusCode(202)
        .extract().jsonPath().getLong("id");
    JsonPath second = awaitResync(shop, again);
    assertEquals(5, second.getInt("events_received"));
    assertEquals(0, second.getInt("events_applied"));

    // calls carried scoring-service's own token for the tenant
    List<String> calls = given().get(fakeUrl() + "/_fake/calls").then().statusCode(200).extract().jsonPath()
        .getList("$");
    String token = calls.get(calls.size() - 1).substring("Bearer ".length());
    String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    assertTrue(claims.contains("\"sub\":\"service:scoring-service\""), claims);
    assertTrue(claims.contains("\"tenant_id\":\"" + shop + "\""), claims);
  }

  @Test
  void onlyAdminResyncs() {
    String shop = InternalTokens.newTenant("resync-roles");
    as(shop, "integration").body("{}").post("/api/v1/scoring/resync").then().statusCode(403);
    as(shop, "analyst").body("{}").post("/api/v1/scoring/resync").then().statusCode(403);
    as(shop, "admin").body("{\"after_seq\": -1}").post("/api/v1/scoring/resync").then().statusCode(400);
    as(InternalTokens.newTenant("x"), "admin").get("/api/v1/scoring/resync/1").then().statusCode(404);
  }
}
