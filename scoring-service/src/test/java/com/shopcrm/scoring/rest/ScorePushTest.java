package com.shopcrm.scoring.rest;

import static com.shopcrm.scoring.rest.Api.EVENTS;
import static com.shopcrm.scoring.rest.Api.as;
import static com.shopcrm.scoring.rest.Api.batch;
import static com.shopcrm.scoring.rest.Api.completed;
import static com.shopcrm.scoring.rest.Api.count;
import static com.shopcrm.scoring.rest.Api.event;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.shopcrm.scoring.FakeCampaignService;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scores pushed to campaign-service's profile sync (a fake that records each call; batch size 3
 * and back-off 0.3 s → 1 s in the test profile): a full run's scores once it completed, a
 * rescoring within seconds, retried while campaign-service answers 503, one tenant per call.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_scoring_test"))
@QuarkusTestResource(FakeCampaignService.class)
class ScorePushTest {

  private static String fake() {
    return ConfigProvider.getConfig().getValue("crm.campaign.url", String.class);
  }

  @AfterEach
  void campaignServiceUp() {
    given().post(fake() + "/_fake/fail?times=0").then().statusCode(200);
  }

  /** The fake's calls for the tenant, in order: {status, tenant, subject, groups, body}. */
  private static List<Map<String, Object>> calls(String tenant) {
    List<Map<String, Object>> all = given().get(fake() + "/_fake/calls").then().statusCode(200).extract().jsonPath()
        .getList("$");
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> c : all) {
      if (tenant.equals(c.get("tenant"))) {
        out.add(c);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> profiles(Map<String, Object> call) {
    return (List<Map<String, Object>>) ((Map<String, Object>) call.get("body")).get("profiles");
  }

  /** The last profile campaign-service accepted (200) per customer. */
  private static Map<Long, Map<String, Object>> accepted(String tenant) {
    Map<Long, Map<String, Object>> out = new HashMap<>();
    for (Map<String, Object> c : calls(tenant)) {
      if (((Number) c.get("status")).intValue() == 200) {
        for (Map<String, Object> p : profiles(c)) {
          out.put(((Number) p.get("customer_id")).longValue(), p);
        }
      }
    }
    return out;
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        fail("not within 30 s: " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Predicate<Map<String, Object>> has(String field, Object value) {
    return p -> p != null && java.util.Objects.equals(p.get(field), value);
  }

  @Test
  void fullRunScoresArePushedInBatchesWithTheTenantsToken() {
    String shop = ScoringFlowTest.seed(); // four customers; events already queued their (segment-less) scores
    long id = Api.startRun(shop, "{\"as_of\": \"2024-06-30\"}");
    assertEquals("completed", Api.awaitRun(shop, id).getString("status"));

    await("the run's segments pushed", () -> {
      Map<Long, Map<String, Object>> got = accepted(shop);
      return has("rfm_segment", "general_value").test(got.get(1L))
          && has("rfm_segment", "general_development").test(got.get(2L))
          && has("rfm_segment", "important_winback").test(got.get(3L))
          && has("rfm_segment", "general_winback").test(got.get(4L));
    });
    await("the run's push finished", () -> count(
        "SELECT count(*) FROM score_push_run WHERE tenant_id = ? AND run_id = ? AND finished_at IS NOT NULL", shop,
        id) == 1);
    assertEquals(4, count("SELECT pushed FROM score_push_run WHERE tenant_id = ?", shop));
    JsonPath view = as(shop, "analyst").get(Api.RUNS + "/" + id).then().statusCode(200).extract().jsonPath();
    assertEquals("done", view.getString("campaign_push.status"), view.prettify());
    assertEquals(4, view.getInt("campaign_push.pushed"));
    assertNull(view.get("campaign_push.last_error"));

    Map<String, Object> one = accepted(shop).get(1L);
    assertEquals("loyal", one.get("rfm11"));
    assertEquals("active", one.get("lifecycle_stage"));
    assertEquals(2, one.get("frequency"));
    assertEquals(250.0f, ((Number) one.get("monetary")).floatValue());
    assertEquals(10, one.get("recency_days"));
    assertEquals("2024-06-20T01:00:00Z", one.get("last_order_at")); // 09:00 in Shanghai
    assertTrue(one.containsKey("p_alive") && one.get("p_alive") == null, "no model with four customers: " + one);
    assertTrue(one.containsKey("predicted_clv_365d") && one.containsKey("expected_next_order_at"), one.toString());
    // customer 4: the refunded order does not count; the last counted order is 2024-04-10 10:00 in Shanghai
    assertEquals("2024-04-10T02:00:00Z", accepted(shop).get(4L).get("last_order_at"));

    for (Map<String, Object> call : calls(shop)) {
      assertEquals("service:scoring-service", call.get("subject"));
      assertEquals(List.of("integration"), call.get("groups"));
      assertTrue(profiles(call).size() <= 3, "batches of at most 3 here: " + call);
    }
  }

  @Test
  void modelOutputsArePushedWhenARunFittedModels() {
    String shop = InternalTokens.newTenant("pushmodel");
    List<String> events = new ArrayList<>();
    for (long c = 1; c <= 40; c++) {
      events.add(completed("m" + c + "a", c, "M-" + c + "a", "2024-01-" + (10 + c % 15) + "T10:00:00+08:00", "50.00"));
      if (c % 2 == 0) {
        events.add(completed("m" + c + "b", c, "M-" + c + "b", "2024-0" + (2 + c % 4) + "-05T10:00:00+08:00",
            (20 + c) + ".00"));
      }
    }
    as(shop, "integration").body(batch(events.toArray(String[]::new))).post(EVENTS).then().statusCode(200);
    long id = Api.startRun(shop, "{\"as_of\": \"2024-06-30\"}");
    JsonPath run = Api.awaitRun(shop, id);
    assertEquals("completed", run.getString("status"), run.prettify());
    JsonPath score = as(shop, "analyst").get(Api.SCORES + "/2").then().statusCode(200).extract().jsonPath();
    await("scores with p_alive pushed", () -> has("rfm_segment", score.getString("rfm_segment"))
        .and(p -> p.get("p_alive") != null).test(accepted(shop).get(2L)));
    Map<String, Object> two = accepted(shop).get(2L);
    assertEquals(score.getDouble("p_alive"), ((Number) two.get("p_alive")).doubleValue(), 1e-12);
    Object clv = score.get("predicted_clv_365d");
    assertEquals(clv == null ? null : ((Number) clv).doubleValue(),
        two.get("predicted_clv_365d") == null ? null : ((Number) two.get("predicted_clv_365d")).doubleValue());
    String next = score.getString("expected_next_order_date");
    if (next != null) {
      assertEquals(next + "T00:00:00+08:00", two.get("expected_next_order_at"));
    }
  }

  @Test
  void rescoredCustomerIsDeliveredAfterCampaignServiceRecovers() {
    String shop = InternalTokens.newTenant("pushretry");
    given().post(fake() + "/_fake/fail?times=1000").then().statusCode(200);
    as(shop, "integration").body(completed("r1", 5L, "R-1", "2024-05-01T10:00:00+08:00", "88.00")).post(EVENTS)
        .then().statusCode(200);

    // campaign-service down: tried again and again, the customer stays queued
    await("two failed attempts", () -> calls(shop).stream()
        .filter(c -> ((Number) c.get("status")).intValue() == 503).count() >= 2);
    assertEquals(1, count("SELECT count(*) FROM score_push_outbox WHERE tenant_id = ? AND customer_id = 5 "
        + "AND attempts >= 1 AND last_error IS NOT NULL", shop));
    assertTrue(accepted(shop).isEmpty());

    given().post(fake() + "/_fake/fail?times=0").then().statusCode(200);
    await("delivered after recovery", () -> has("frequency", 0).test(accepted(shop).get(5L)));
    assertEquals("2024-05-01T02:00:00Z", accepted(shop).get(5L).get("last_order_at"));
    assertEquals(88.0f, ((Number) accepted(shop).get(5L).get("monetary")).floatValue() + 88.0f); // x = 0: monetary 0
    await("outbox emptied", () -> count("SELECT count(*) FROM score_push_outbox WHERE tenant_id = ?", shop) == 0);

    // the only order refunded in full: no score any more, pushed as cleared fields
    as(shop, "integration").body(event("r2", "order.refunded", 5L, "R-1", "2024-05-01T10:00:00+08:00", "88.00",
        "88.00", "refunded", "2024-07-01T00:00:00Z")).post(EVENTS).then().statusCode(200);
    await("cleared", () -> {
      Map<String, Object> p = accepted(shop).get(5L);
      return p.containsKey("frequency") && p.get("frequency") == null;
    });
    Map<String, Object> cleared = accepted(shop).get(5L);
    for (String field : List.of("rfm_segment", "rfm11", "lifecycle_stage", "p_alive", "predicted_clv_365d",
        "monetary", "recency_days", "last_order_at", "expected_next_order_at")) {
      assertTrue(cleared.containsKey(field), field);
      assertNull(cleared.get(field), field);
    }
  }

  @Test
  void eachTenantsScoresGoWithItsOwnToken() {
    String a = InternalTokens.newTenant("pusha");
    String b = InternalTokens.newTenant("pushb");
    as(a, "integration").body(completed("t1", 1L, "T-1", "2024-05-01T10:00:00+08:00", "10.00")).post(EVENTS).then()
        .statusCode(200);
    as(b, "integration").body(batch(completed("t1", 1L, "T-1", "2024-05-01T10:00:00+08:00", "10.00"),
        completed("t2", 1L, "T-2", "2024-05-03T10:00:00+08:00", "30.00"))).post(EVENTS).then().statusCode(200);
    await("both pushed", () -> accepted(a).containsKey(1L) && has("frequency", 1).test(accepted(b).get(1L)));
    assertEquals(0, accepted(a).get(1L).get("frequency"));
    assertEquals(30.0f, ((Number) accepted(b).get(1L).get("monetary")).floatValue());
    for (Map<String, Object> call : calls(a)) {
      for (Map<String, Object> p : profiles(call)) {
        assertEquals(0, p.get("frequency"), "tenant a's call carries only tenant a's customer: " + call);
      }
    }
  }
}
