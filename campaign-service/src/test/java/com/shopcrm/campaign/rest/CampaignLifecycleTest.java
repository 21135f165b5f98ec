package com.shopcrm.campaign.rest;

import static com.shopcrm.campaign.rest.CampaignCalls.CAMPAIGNS;
import static com.shopcrm.campaign.rest.CampaignCalls.body;
import static com.shopcrm.campaign.rest.CampaignCalls.column;
import static com.shopcrm.campaign.rest.CampaignCalls.create;
import static com.shopcrm.campaign.rest.CampaignCalls.expectedArms;
import static com.shopcrm.campaign.rest.CampaignCalls.launch;
import static com.shopcrm.campaign.rest.CampaignCalls.segment;
import static com.shopcrm.campaign.rest.CampaignCalls.shopWithAudience;
import static com.shopcrm.campaign.rest.SegmentApi.as;
import static com.shopcrm.campaign.rest.SegmentApi.sql;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.campaign.TestClock;
import com.shopcrm.campaign.service.CampaignDispatcher;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Define, validate, edit, launch (arms, suppression, quiet hours) and dispatch campaigns; tenants and roles. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class CampaignLifecycleTest {

  /** 10:00 in Shanghai: outside quiet hours. */
  static final Instant DAYTIME = Instant.parse("2031-03-03T02:00:00Z");

  @Inject
  TestClock clock;

  @Inject
  CampaignDispatcher dispatcher;

  @BeforeEach
  void daytime() {
    clock.setTo(DAYTIME);
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void rejectsInvalidCampaignsListingEveryFieldAndSavesNothing() {
    String shop = shopWithAudience();
    long segment = segment(shop, "t");
    as(shop, "marketer").body("""
            {"name": "x", "segment_id": %d, "channels": ["sms", "email"],
             "variants": [{"name": "a", "weight": 0, "message": {"sms": "hi"}}],
             "control_pct": 60, "attribution_window_days": 30, "offer": {"type": "coupon"}}""".formatted(segment))
        .post(CAMPAIGNS)
        .then().statusCode(400).contentType("application/problem+json")
        .body("errors.field", hasItems("control_pct", "offer.amount", "variants[0].message.email_body",
            "variants[0].message.email_subject", "variants[0].weight"));
    as(shop, "marketer").body(body(segment, 20).replace("[\"sms\"]", "[]")).post(CAMPAIGNS)
        .then().statusCode(400).body("errors.field", hasItems("channels"));
    as(shop, "marketer").body(body(segment, 20).replace("[\"sms\"]", "[\"fax\"]")).post(CAMPAIGNS)
        .then().statusCode(400).body("errors.field", hasItems("channels[0]"));
    as(shop, "marketer").body(body(segment, 20).replace("\"name\": \"b\"", "\"name\": \"control\"")).post(CAMPAIGNS)
        .then().statusCode(400).body("errors.field", hasItems("variants[1].name"));
    String other = InternalTokens.newTenant("shop-cmp");
    as(other, "marketer").body(body(segment, 20)).post(CAMPAIGNS)
        .then().statusCode(400).body("errors[0].field", equalTo("segment_id"));
    as(shop, "marketer").body(body(segment, 20).replace("\"goal\"", "\"colour\": 1, \"goal\"")).post(CAMPAIGNS)
        .then().statusCode(400).body("errors[0].field", equalTo("colour"));
    assertEquals(0, sql("SELECT count(*) FROM campaign WHERE tenant_id = ? OR tenant_id = ?", shop, other));
  }

  @Test
  void createsReadsListsAndEditsADraft() {
    String shop = shopWithAudience();
    long segment = segment(shop, "t");
    long id = as(shop, "marketer").header("Idempotency-Key", "c-1").body(body(segment, 20)).post(CAMPAIGNS)
        .then().statusCode(201).body("status", equalTo("draft")).body("offer.type", equalTo("coupon"))
        .extract().jsonPath().getLong("id");
    as(shop, "marketer").header("Idempotency-Key", "c-1").body(body(segment, 20)).post(CAMPAIGNS)
        .then().statusCode(201).body("id", equalTo((int) id));
    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().statusCode(200)
        .body("segment_id", equalTo((int) segment)).body("variants.name", contains("a", "b"))
        .body("cost_per_message.sms", equalTo(0.05f)).body("schedule.type", equalTo("now"));
    as(shop, "analyst").get(CAMPAIGNS).then().statusCode(200).body("items.id", contains((int) id));
    as(shop, "marketer").body("{\"name\": \"spring 2\", \"control_pct\": 10}").patch(CAMPAIGNS + "/" + id)
        .then().statusCode(200).body("name", equalTo("spring 2")).body("control_pct", equalTo(10))
        .body("variants", hasSize(2));
    as(shop, "marketer").body("{\"control_pct\": 70}").patch(CAMPAIGNS + "/" + id)
        .then().statusCode(400).body("errors[0].field", equalTo("control_pct"));
    as(shop, "marketer").body("{\"colour\": 1}").patch(CAMPAIGNS + "/" + id)
        .then().statusCode(400).body("errors[0].field", equalTo("colour"));
  }

  @Test
  void launchFreezesDeterministicArmsWithoutOptedOutOrCappedCustomers() {
    String shop = shopWithAudience();
    long all = segment(shop, "t");
    long capped = segment(shop, "c4");
    for (int i = 0; i < 3; i++) { // customer 4 gets the 3 messages the cap allows in 7 days
      launch(shop, create(shop, body(capped, 0)));
    }
    long id = create(shop, body(all, 20));
    as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/launch").then().statusCode(202)
        .body("id", equalTo((int) id)).body("status", equalTo("launched"))
        .body("audience", equalTo(40))
        .body("suppressed.consent", equalTo(1)).body("suppressed.frequency_cap", equalTo(1))
        .body("suppressed.quiet_hours", equalTo(0));
    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().body("status", equalTo("launched"))
        .body("launched_at", notNullValue());

    Map<Long, String> expected = expectedArms(id, 20);
    assertEquals(expected, column("campaign_recipient", "arm", shop, id), "arms follow md5(campaign:customer)");
    Map<Long, String> reasons = column("campaign_recipient", "coalesce(suppressed_reason, '-')", shop, id);
    assertEquals("consent", reasons.get(2L));
    assertEquals("frequency_cap", reasons.get(4L));
    Map<Long, String> messaged = new LinkedHashMap<>();
    expected.forEach((customer, arm) -> {
      if (!arm.equals("control") && customer != 2 && customer != 4) {
        messaged.put(customer, arm);
      }
    });
    assertEquals(messaged, column("campaign_message", "arm", shop, id), "one SMS per kept variant recipient");
    Map<Long, String> bodies = column("campaign_message", "body", shop, id);
    Map<Long, String> coupons = column("campaign_coupon", "code", shop, id);
    assertEquals(messaged.keySet(), coupons.keySet(), "a coupon per messaged recipient");
    messaged.forEach((customer, arm) -> {
      String text = bodies.get(customer);
      assertTrue(text.endsWith(" 回T退订"), text);
      assertTrue(text.contains("C" + customer), text);
      if (arm.equals("a")) {
        assertTrue(text.contains(coupons.get(customer)), text);
      }
    });
    assertEquals(coupons.size(), coupons.values().stream().distinct().count(), "codes are unique");

    long recipients = sql("SELECT count(*) FROM campaign_recipient WHERE tenant_id = ? AND campaign_id = ?", shop, id);
    as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/launch").then().statusCode(409)
        .contentType("application/problem+json");
    as(shop, "marketer").body("{\"name\": \"late\"}").patch(CAMPAIGNS + "/" + id).then().statusCode(409);
    assertEquals(recipients, sql("SELECT count(*) FROM campaign_recipient WHERE tenant_id = ? AND campaign_id = ?",
        shop, id));
    assertEquals(messaged.size(), sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND campaign_id = ?",
        shop, id));
    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().body("name", equalTo("spring"));
  }

  @Test
  void dispatcherSendsEachMessageToTheLocalSinkExactlyOnceEvenWhenRunTwiceAtOnce() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t"), 0));
    launch(shop, id);
    long queued = sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND campaign_id = ?", shop, id);
    assertEquals(39, queued, "40 minus the opted-out customer");

    Uni.combine().all().unis(dispatcher.dispatch(), dispatcher.dispatch()).asTuple().await().atMost(Duration.ofSeconds(30));
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));

    assertEquals(queued, sql("SELECT count(*) FROM sink_message WHERE tenant_id = ? AND campaign_id = ?", shop, id));
    assertEquals(queued, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND campaign_id = ?"
        + " AND status = 'sent'", shop, id));
    String cursor = as(shop, "analyst").queryParam("limit", 30).get(CAMPAIGNS + "/" + id + "/messages")
        .then().statusCode(200).body("items", hasSize(30))
        .body("items[0].channel", equalTo("sms")).body("items[0].body", endsWith("回T退订"))
        .extract().path("next_cursor");
    as(shop, "analyst").queryParam("cursor", cursor).get(CAMPAIGNS + "/" + id + "/messages")
        .then().statusCode(200).body("items", hasSize(9)).body("next_cursor", equalTo(null));
    as(shop, "analyst").queryParam("channel", "email").get(CAMPAIGNS + "/" + id + "/messages")
        .then().statusCode(200).body("items", hasSize(0));
    as(shop, "analyst").queryParam("channel", "fax").get(CAMPAIGNS + "/" + id + "/messages").then().statusCode(400);
    as(shop, "analyst").get(CAMPAIGNS + "/" + id + "/report").then().statusCode(200)
        .body("arms.sent.sum()", equalTo(39));
  }

  @Test
  void quietHoursDelayTheSendToEightInTheMorningShopTime() {
    clock.setTo(Instant.parse("2031-03-03T15:00:00Z")); // 23:00 in Shanghai
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t"), 0));
    as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/launch").then().statusCode(202)
        .body("suppressed.quiet_hours", equalTo(39))
        .body("send_at", equalTo("2031-03-04T00:00:00Z"));
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals(0, sql("SELECT count(*) FROM sink_message WHERE tenant_id = ?", shop), "nothing at night");

    clock.setTo(Instant.parse("2031-03-04T00:00:01Z"));
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals(39, sql("SELECT count(*) FROM sink_message WHERE tenant_id = ?", shop), "all sent at 08:00");
    as(shop, "analyst").get(CAMPAIGNS + "/" + id + "/report").then().statusCode(200)
        .body("suppressed.quiet_hours", equalTo(39)).body("arms.sent.sum()", equalTo(39));
  }

  @Test
  void otherTenantSeesNotFoundEverywhere() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t"), 20));
    String other = InternalTokens.newTenant("shop-cmp");
    as(other, "admin").get(CAMPAIGNS + "/" + id).then().statusCode(404);
    as(other, "admin").get(CAMPAIGNS + "/" + id + "/report").then().statusCode(404);
    as(other, "admin").get(CAMPAIGNS + "/" + id + "/messages").then().statusCode(404);
    as(other, "admin").body("{\"name\": \"mine\"}").patch(CAMPAIGNS + "/" + id).then().statusCode(404);
    as(other, "admin").post(CAMPAIGNS + "/" + id + "/launch").then().statusCode(404);
    as(other, "admin").get(CAMPAIGNS).then().statusCode(200).body("items", hasSize(0));
    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().statusCode(200).body("status", equalTo("draft"));
  }

  @Test
  void analystsReadButOnlyMarketersAndAdminsWrite() {
    String shop = shopWithAudience();
    long segment = segment(shop, "t");
    as(shop, "analyst").body(body(segment, 20)).post(CAMPAIGNS).then().statusCode(403);
    as(shop, "integration").body(body(segment, 20)).post(CAMPAIGNS).then().statusCode(403);
    long id = as(shop, "admin").body(body(segment, 20)).post(CAMPAIGNS).then().statusCode(201)
        .extract().jsonPath().getLong("id");
    as(shop, "analyst").body("{\"name\": \"x\"}").patch(CAMPAIGNS + "/" + id).then().statusCode(403);
    as(shop, "analyst").post(CAMPAIGNS + "/" + id + "/launch").then().statusCode(403);
    as(shop, "analyst").get(CAMPAIGNS + "/" + id + "/report").then().statusCode(200);
    as(shop, "marketer").body("{}").post(CAMPAIGNS + "/order-events").then().statusCode(403);
    assertFalse(sql("SELECT count(*) FROM campaign WHERE tenant_id = ? AND status = 'launched'", shop) > 0);
  }
}
