package com.shopcrm.campaign.rest;

import static com.shopcrm.campaign.rest.CampaignCalls.CAMPAIGNS;
import static com.shopcrm.campaign.rest.CampaignCalls.column;
import static com.shopcrm.campaign.rest.CampaignCalls.create;
import static com.shopcrm.campaign.rest.CampaignCalls.expectedArms;
import static com.shopcrm.campaign.rest.CampaignCalls.launch;
import static com.shopcrm.campaign.rest.CampaignCalls.segment;
import static com.shopcrm.campaign.rest.CampaignCalls.shopWithAudience;
import static com.shopcrm.campaign.rest.SegmentApi.as;
import static com.shopcrm.campaign.rest.SegmentApi.sql;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.campaign.TestClock;
import com.shopcrm.campaign.service.CampaignDispatcher;
import com.shopcrm.campaign.service.ProductPicker;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The new-product offer: messages wait pending until scoring-service's picks fill {@code {product}} /
 * {@code {products}} per recipient (one bulk call), then the dispatcher sends them; while
 * scoring-service fails they wait, and after the fallback delay they name the offer's products in order.
 * scoring-service is a stub here ({@link ScoringStub}); the e2e suite runs the real one.
 */
@QuarkusTest
@QuarkusTestResource(value = ScoringStub.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class NewProductOfferTest {

  static final String SCARF = "真丝围巾";
  static final String TEA = "茶具套装";

  @Inject
  TestClock clock;

  @Inject
  ProductPicker picker;

  @Inject
  CampaignDispatcher dispatcher;

  ScoringStub.Calls scoring;

  @BeforeEach
  void daytime() {
    clock.setTo(CampaignLifecycleTest.DAYTIME);
    scoring.status.set(200);
    scoring.bodies.clear();
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void messagesWaitForTheirProductsThenNameWhatEachRecipientIsLikeliestToBuy() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t")));
    launch(shop, id);
    Map<Long, String> arms = expectedArms(id, 20);
    Map<Long, String> kept = new LinkedHashMap<>();
    arms.forEach((customer, arm) -> {
      if (!arm.equals("control") && customer != 2) {
        kept.put(customer, arm);
      }
    });
    assertEquals(kept.size(), sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND status = 'pending'",
        shop));
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals(0, sql("SELECT count(*) FROM sink_message WHERE tenant_id = ?", shop), "nothing sent unfilled");
    as(shop, "analyst").get(CAMPAIGNS + "/" + id + "/report").then().statusCode(200);

    assertEquals(kept.size(), picker.pickPending().await().atMost(Duration.ofSeconds(30)));
    assertEquals(1, scoring.bodies.size(), "one bulk call for the campaign's batch");
    assertTrue(scoring.authorizations.get(0).startsWith("Bearer "));
    assertTrue(scoring.bodies.get(0).contains("\"limit\":2"), scoring.bodies.get(0));
    assertEquals(0, picker.pickPending().await().atMost(Duration.ofSeconds(30)), "filled once");

    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    Map<Long, String> sent = column("sink_message", "body", shop, id);
    assertEquals(kept.keySet(), sent.keySet());
    kept.forEach((customer, arm) -> {
      boolean even = customer % 2 == 0; // the stub reverses the products for even customers
      String expected = arm.equals("a") ? "C" + customer + ", new for you: " + (even ? TEA : SCARF)
          : "C" + customer + "，新品：" + (even ? TEA + "、" + SCARF : SCARF + "、" + TEA);
      assertEquals(expected + " 回T退订", sent.get(customer));
    });
  }

  @Test
  void whileScoringFailsTheMessagesWaitThenNameTheOffersProductsInOrder() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "c4")));
    launch(shop, id);
    boolean messaged = !expectedArms(id, 20).get(4L).equals("control");
    scoring.status.set(503);

    assertEquals(0, picker.pickPending().await().atMost(Duration.ofSeconds(30)));
    assertEquals(messaged ? 1 : 0, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ?"
        + " AND status = 'pending'", shop), "still waiting");

    clock.setTo(CampaignLifecycleTest.DAYTIME.plus(Duration.ofMinutes(11)));
    picker.pickPending().await().atMost(Duration.ofSeconds(30));
    assertEquals(0, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND status = 'pending'", shop));
    if (messaged) {
      String body = column("campaign_message", "body", shop, id).get(4L);
      assertTrue(body.contains(SCARF), body);
    }
  }

  @Test
  void rejectsANewProductOfferWithoutProductsOrAMessageNamingOne() {
    String shop = shopWithAudience();
    long segment = segment(shop, "t");
    as(shop, "marketer").body(body(segment).replace("{product}", "").replace("{products}", "")
            .replaceAll("(?s)\"products\": \\[.*?\\]", "\"products\": []"))
        .post(CAMPAIGNS).then().statusCode(400).contentType("application/problem+json")
        .body("errors.field", hasItems("offer.products", "variants[0].message", "variants[1].message"));
    assertEquals(0, sql("SELECT count(*) FROM campaign WHERE tenant_id = ?", shop));
  }

  /** SMS variants a ({product}) and b ({products}, in Chinese), 20% control, two new products, two per message. */
  static String body(long segment) {
    return """
        {"name": "new in", "goal": "other", "segment_id": %d, "channels": ["sms"],
         "variants": [{"name": "a", "weight": 1, "message": {"sms": "{name}, new for you: {product}"}},
                      {"name": "b", "weight": 1, "message": {"sms": "{name}，新品：{products}"}}],
         "control_pct": 20, "attribution_window_days": 14,
         "offer": {"type": "new_product", "per_message": 2,
                   "products": [{"sku": "NEW-1", "name": "%s", "category": "scarves"},
                                {"sku": "NEW-2", "name": "%s", "category": "tea"}]},
         "cost_per_message": {"sms": 0.05}}""".formatted(segment, SCARF, TEA);
  }
}
