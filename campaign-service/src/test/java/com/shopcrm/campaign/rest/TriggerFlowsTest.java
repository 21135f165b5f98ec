package com.shopcrm.campaign.rest;

import static com.shopcrm.campaign.rest.SegmentApi.as;
import static com.shopcrm.campaign.rest.SegmentApi.sql;
import static com.shopcrm.campaign.rest.SegmentApi.syncEvents;
import static com.shopcrm.campaign.rest.SegmentApi.syncProfiles;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.campaign.TestClock;
import com.shopcrm.campaign.service.CampaignDispatcher;
import com.shopcrm.campaign.service.TriggerEvaluator;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The five trigger kinds with a moved clock: each fires at its moment, not before, never twice for
 * an occasion (evaluator run twice or concurrently, events redelivered), consent and the frequency
 * cap suppress it, quiet hours delay it; messages reach the local sink through the dispatcher.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class TriggerFlowsTest {

  static final String TRIGGERS = "/api/v1/triggers";
  /** 10:00 in Shanghai. */
  static final Instant T0 = Instant.parse("2031-06-10T02:00:00Z");

  @Inject
  TestClock clock;

  @Inject
  TriggerEvaluator evaluator;

  @Inject
  CampaignDispatcher dispatcher;

  @BeforeEach
  void daytime() {
    clock.setTo(T0);
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void birthdayFiresDaysBeforeOncePerYearWithACouponAndReachesTheSink() {
    String shop = InternalTokens.newTenant("shop-trg");
    syncProfiles(shop, """
        [{"customer_id": 1, "name": "Ann", "birthday": "1990-06-13"},
         {"customer_id": 2, "name": "Bo", "birthday": "1985-06-14"},
         {"customer_id": 3, "name": "Cy", "birthday": "1990-06-12"},
         {"customer_id": 4, "name": "Di"}]""");
    long id = create(shop, """
        {"name": "birthday", "kind": "birthday", "days_before": 3, "channels": ["sms"],
         "message": {"sms": "Happy birthday {name}! {coupon}"},
         "offer": {"type": "coupon", "amount": 20, "min_spend": 100}}""");

    evaluate();
    evaluate();
    assertEquals(1, firings(shop, id), "only Ann's birthday is 3 days ahead; Cy's fell due before the trigger");
    as(shop, "analyst").get(TRIGGERS + "/" + id + "/firings").then().statusCode(200)
        .body("items", hasSize(1)).body("items[0].customer_id", equalTo(1))
        .body("items[0].occasion", equalTo("2031")).body("items[0].status", equalTo("messaged"))
        .body("items[0].messages", equalTo(1)).body("items[0].coupon_code", startsWith("T" + id + "-1-"));
    String coupon = as(shop, "analyst").get(TRIGGERS + "/" + id + "/firings").then().extract()
        .path("items[0].coupon_code");
    assertEquals(1, sql("SELECT count(*) FROM campaign_coupon WHERE tenant_id = ? AND trigger_id = ? AND code = ?"
        + " AND face_value = 20 AND min_spend = 100 AND customer_id = 1", shop, id, coupon));

    clock.setTo(T0.plus(Duration.ofDays(1)));
    evaluate();
    assertEquals(2, firings(shop, id), "Bo 3 days before the 14th");
    assertEquals(2, messages(shop, id));

    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals(2, sql("SELECT count(*) FROM sink_message WHERE tenant_id = ? AND trigger_id = ?", shop, id));
    assertEquals(1, sql("SELECT count(*) FROM sink_message WHERE tenant_id = ? AND trigger_id = ? AND customer_id = 1"
        + " AND body = ?", shop, id, "Happy birthday Ann! " + coupon + " 回T退订"));

    clock.setTo(Instant.parse("2032-06-10T02:00:00Z"));
    evaluate();
    as(shop, "analyst").queryParam("customer_id", 1).get(TRIGGERS + "/" + id + "/firings").then().statusCode(200)
        .body("items.occasion", contains("2031", "2032"));
  }

  @Test
  void cartAbandonmentFiresAfterTheWaitOnlyWithoutAnOrderAndNeverTwice() {
    String shop = InternalTokens.newTenant("shop-trg");
    long id = create(shop, """
        {"name": "cart", "kind": "cart_abandon", "wait_hours": 4, "channels": ["app"],
         "message": {"app": "{name}, your cart misses you"}}""");
    syncProfiles(shop, """
        [{"customer_id": 1, "name": "Ann"}, {"customer_id": 2, "name": "Bo"},
         {"customer_id": 3, "name": "Cy", "consent_app": false}]""");
    String events = """
        [{"customer_id": 1, "type": "cart_abandon", "occurred_at": "2031-06-10T02:00:00Z"},
         {"customer_id": 2, "type": "cart_abandon", "occurred_at": "2031-06-10T02:00:00Z"},
         {"customer_id": 3, "type": "cart_abandon", "occurred_at": "2031-06-10T02:00:00Z"}]""";
    syncEvents(shop, events);
    orderEvent(shop, "order.created", 2, "o-2", "2031-06-10T03:00:00Z");

    clock.setTo(T0.plus(Duration.ofHours(4)).minusSeconds(60));
    evaluate();
    assertEquals(0, firings(shop, id), "not before the 4 hours");

    clock.setTo(T0.plus(Duration.ofHours(4)).plusSeconds(60));
    Uni.combine().all().unis(evaluator.evaluateAll(), evaluator.evaluateAll()).asTuple()
        .await().atMost(Duration.ofSeconds(30));
    evaluate();
    syncEvents(shop, events); // redelivered: evaluated again for these customers
    as(shop, "analyst").get(TRIGGERS + "/" + id + "/firings").then().statusCode(200)
        .body("items.customer_id", contains(1, 3))
        .body("items.occasion", contains("2031-06-10T02:00:00.000000Z", "2031-06-10T02:00:00.000000Z"))
        .body("items.status", contains("messaged", "suppressed"))
        .body("items[1].suppressed_reason", equalTo("consent")).body("items.messages", contains(1, 0));
    assertEquals(1, messages(shop, id));
    assertEquals(1, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND trigger_id = ?"
        + " AND body = 'Ann, your cart misses you' AND channel = 'app'", shop, id));

    // a second abandonment is a new occasion
    syncEvents(shop, "[{\"customer_id\": 1, \"type\": \"cart_abandon\", \"occurred_at\": \"2031-06-10T05:00:00Z\"}]");
    clock.setTo(Instant.parse("2031-06-10T09:00:01Z"));
    evaluate();
    assertEquals(2, messages(shop, id));
  }

  @Test
  void winBackFiresOnEnteringAtRiskRightAfterTheSyncReArmsAfterLeavingAndRespectsTheCap() {
    String shop = InternalTokens.newTenant("shop-trg");
    long id = create(shop, """
        {"name": "win back", "kind": "win_back", "lifecycle_stage": "at_risk", "p_alive_below": 0.3,
         "channels": ["sms"], "message": {"sms": "{name}, we miss you"}}""");
    syncProfiles(shop, """
        [{"customer_id": 1, "name": "Ann", "lifecycle_stage": "active", "p_alive": 0.9},
         {"customer_id": 2, "name": "Bo", "lifecycle_stage": "active", "p_alive": 0.9}]""");
    assertEquals(0, firings(shop, id));

    // entering the state fires at the sync, without waiting for the scheduled evaluation
    syncProfiles(shop,
        "[{\"customer_id\": 1, \"lifecycle_stage\": \"at_risk\"}, {\"customer_id\": 2, \"p_alive\": 0.1}]");
    assertEquals(2, firings(shop, id));
    evaluate();
    syncProfiles(shop, "[{\"customer_id\": 1, \"lifecycle_stage\": \"at_risk\"}]");
    assertEquals(2, firings(shop, id), "still at risk: the same occasion");

    for (int i = 0; i < 3; i++) { // leave and re-enter three more times: two more messages, then the cap (3 in 7 days)
      syncProfiles(shop, "[{\"customer_id\": 1, \"lifecycle_stage\": \"active\"}]");
      clock.setTo(T0.plus(Duration.ofHours(i + 1)));
      syncProfiles(shop, "[{\"customer_id\": 1, \"lifecycle_stage\": \"at_risk\"}]");
    }
    as(shop, "analyst").queryParam("customer_id", 1).get(TRIGGERS + "/" + id + "/firings").then().statusCode(200)
        .body("items.status", contains("messaged", "messaged", "messaged", "suppressed"))
        .body("items[3].suppressed_reason", equalTo("frequency_cap"));
    assertEquals(3, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND trigger_id = ?"
        + " AND customer_id = 1", shop, id));
  }

  @Test
  void reviewRequestFiresDaysAfterCompletionOncePerOrderAndNotForRefundedOrOptedOut() {
    String shop = InternalTokens.newTenant("shop-trg");
    long id = create(shop, """
        {"name": "review", "kind": "review_request", "wait_days": 3, "channels": ["email"],
         "message": {"email_subject": "How was it, {name}?", "email_body": "Tell us about your order"}}""");
    syncProfiles(shop, """
        [{"customer_id": 1, "name": "Ann"}, {"customer_id": 2, "name": "Bo"},
         {"customer_id": 3, "name": "Cy", "consent_email": false}]""");
    String completed = orderEvent(shop, "order.completed", 1, "o-1", "2031-06-10T02:00:00Z");
    orderEvent(shop, "order.completed", 2, "o-2", "2031-06-10T02:00:00Z");
    orderEvent(shop, "order.refunded", 2, "o-2", "2031-06-11T02:00:00Z");
    orderEvent(shop, "order.completed", 3, "o-3", "2031-06-10T02:00:00Z");

    clock.setTo(T0.plus(Duration.ofDays(3)).minusSeconds(60));
    evaluate();
    assertEquals(0, firings(shop, id), "not before 3 days");

    clock.setTo(T0.plus(Duration.ofDays(3)).plusSeconds(60));
    evaluate();
    evaluate();
    as(shop, "integration").body(completed).post("/api/v1/campaigns/order-events").then().statusCode(200)
        .body("duplicate", equalTo(true));
    orderEvent(shop, "order.completed", 1, "o-1", "2031-06-10T02:00:00Z"); // same order, another event id
    as(shop, "analyst").get(TRIGGERS + "/" + id + "/firings").then().statusCode(200)
        .body("items.customer_id", contains(1, 3)).body("items.occasion", contains("o-1", "o-3"))
        .body("items.status", contains("messaged", "suppressed"));
    assertEquals(1, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND trigger_id = ?"
        + " AND channel = 'email' AND subject = 'How was it, Ann?'", shop, id));
    assertEquals(1, messages(shop, id));
  }

  @Test
  void repurchaseReminderFiresWhenTheExpectedDateIsReachedAndQuietHoursDelayIt() {
    String shop = InternalTokens.newTenant("shop-trg");
    long id = create(shop, """
        {"name": "repurchase", "kind": "repurchase", "channels": ["sms"],
         "message": {"sms": "{name}, time to stock up?"}}""");
    syncProfiles(shop, """
        [{"customer_id": 1, "name": "Ann", "expected_next_order_at": "2031-06-15T14:00:00Z",
          "last_order_at": "2031-05-01T00:00:00Z"},
         {"customer_id": 2, "name": "Bo", "expected_next_order_at": "2031-06-20T00:00:00Z"}]""");
    as(shop, "marketer").body("{\"rule\": {\"field\": \"expected_next_order_at\", \"op\": \"lt\","
            + " \"value\": \"2031-06-16T00:00:00Z\"}}").post("/api/v1/segments/preview")
        .then().statusCode(200).body("count", equalTo(1))
        .body("sample[0].expected_next_order_at", startsWith("2031-06-15T14:00"));

    clock.setTo(Instant.parse("2031-06-15T13:59:00Z"));
    evaluate();
    assertEquals(0, firings(shop, id));

    clock.setTo(Instant.parse("2031-06-15T15:00:00Z")); // 23:00 in Shanghai: quiet hours
    evaluate();
    evaluate();
    syncProfiles(shop, "[{\"customer_id\": 1, \"expected_next_order_at\": \"2031-06-15T14:00:00Z\"}]");
    as(shop, "analyst").get(TRIGGERS + "/" + id + "/firings").then().statusCode(200)
        .body("items", hasSize(1)).body("items[0].occasion", equalTo("2031-06-15"))
        .body("items[0].quiet_delayed", equalTo(true)).body("items[0].send_at", equalTo("2031-06-16T00:00:00Z"));
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals(0, sql("SELECT count(*) FROM sink_message WHERE tenant_id = ?", shop), "nothing at night");
    clock.setTo(Instant.parse("2031-06-16T00:00:01Z"));
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals(1, sql("SELECT count(*) FROM sink_message WHERE tenant_id = ? AND trigger_id = ?", shop, id));
  }

  @Test
  void aSegmentConditionLimitsWhoGetsIt() {
    String shop = InternalTokens.newTenant("shop-trg");
    syncProfiles(shop, """
        [{"customer_id": 1, "name": "Ann", "tags": ["vip"]}, {"customer_id": 2, "name": "Bo"}]""");
    long vip = SegmentApi.create(shop, "{\"field\": \"tags\", \"op\": \"contains\", \"value\": \"vip\"}");
    long id = create(shop, """
        {"name": "vip win back", "kind": "win_back", "lifecycle_stage": "at_risk", "segment_id": %d,
         "channels": ["sms"], "message": {"sms": "{name}!"}}""".formatted(vip));
    syncProfiles(shop, "[{\"customer_id\": 1, \"lifecycle_stage\": \"at_risk\"},"
        + " {\"customer_id\": 2, \"lifecycle_stage\": \"at_risk\"}]");
    as(shop, "analyst").get(TRIGGERS + "/" + id + "/firings").then().statusCode(200)
        .body("items.customer_id", contains(1));
  }

  @Test
  void disabledTriggersFireNothingAndReEnablingSkipsWhatFellDueMeanwhile() {
    String shop = InternalTokens.newTenant("shop-trg");
    long id = create(shop, """
        {"name": "cart", "kind": "cart_abandon", "wait_hours": 1, "channels": ["app"], "message": {"app": "hi"}}""");
    as(shop, "marketer").body("{\"enabled\": false}").patch(TRIGGERS + "/" + id).then().statusCode(200)
        .body("enabled", equalTo(false));
    syncProfiles(shop, "[{\"customer_id\": 1, \"name\": \"Ann\"}]");
    syncEvents(shop, "[{\"customer_id\": 1, \"type\": \"cart_abandon\", \"occurred_at\": \"2031-06-10T02:00:00Z\"}]");
    clock.setTo(T0.plus(Duration.ofHours(2)));
    evaluate();
    assertEquals(0, firings(shop, id));
    as(shop, "marketer").body("{\"enabled\": true, \"wait_hours\": 2}").patch(TRIGGERS + "/" + id).then()
        .statusCode(200).body("enabled", equalTo(true)).body("wait_hours", equalTo(2))
        .body("active_since", startsWith("2031-06-10T04:00"));
    evaluate();
    assertEquals(0, firings(shop, id), "fell due while disabled");
    syncEvents(shop, "[{\"customer_id\": 1, \"type\": \"cart_abandon\", \"occurred_at\": \"2031-06-10T04:30:00Z\"}]");
    clock.setTo(T0.plus(Duration.ofHours(5)));
    evaluate();
    assertEquals(1, firings(shop, id));
  }

  @Test
  void rejectsInvalidTriggersListingEveryFieldAndSavesNothing() {
    String shop = InternalTokens.newTenant("shop-trg");
    as(shop, "marketer").body("""
            {"name": "", "kind": "birthday", "wait_hours": 3, "channels": ["sms", "fax", "sms"],
             "message": {"app": "x"}, "offer": {"type": "coupon"}}""").post(TRIGGERS)
        .then().statusCode(400).contentType("application/problem+json")
        .body("errors.field", hasItems("name", "days_before", "wait_hours", "channels[1]", "channels[2]",
            "message.sms", "offer.amount"));
    as(shop, "marketer").body("""
            {"name": "x", "kind": "anniversary", "channels": ["sms"], "message": {"sms": "x"}}""").post(TRIGGERS)
        .then().statusCode(400).body("errors.field", hasItems("kind"));
    as(shop, "marketer").body("""
            {"name": "x", "kind": "win_back", "channels": ["sms"], "message": {"sms": "x"}}""").post(TRIGGERS)
        .then().statusCode(400).body("errors.field", hasItems("lifecycle_stage"));
    as(shop, "marketer").body("""
            {"name": "x", "kind": "cart_abandon", "wait_hours": 0, "channels": ["sms"], "message": {"sms": "x"},
             "segment_id": 999999}""").post(TRIGGERS)
        .then().statusCode(400).body("errors.field", hasItems("wait_hours"));
    as(shop, "marketer").body("""
            {"name": "x", "kind": "cart_abandon", "wait_hours": 2, "channels": ["sms"], "message": {"sms": "x"},
             "segment_id": 999999}""").post(TRIGGERS)
        .then().statusCode(400).body("errors[0].field", equalTo("segment_id"));
    as(shop, "marketer").body("""
            {"name": "x", "kind": "review_request", "wait_days": 1, "channels": ["sms"], "message": {"sms": "x"},
             "colour": 1}""").post(TRIGGERS)
        .then().statusCode(400).body("errors[0].field", equalTo("colour"));
    assertEquals(0, sql("SELECT count(*) FROM campaign_trigger WHERE tenant_id = ?", shop));

    long id = create(shop, """
        {"name": "x", "kind": "review_request", "wait_days": 1, "channels": ["sms"], "message": {"sms": "x"}}""");
    as(shop, "marketer").body("{\"kind\": \"birthday\"}").patch(TRIGGERS + "/" + id).then().statusCode(400)
        .body("errors[0].field", equalTo("kind"));
    as(shop, "marketer").body("{\"channels\": [\"sms\", \"email\"]}").patch(TRIGGERS + "/" + id).then()
        .statusCode(400).body("errors.field", hasItems("message.email_body", "message.email_subject"));
    as(shop, "marketer").body("{\"wait_days\": \"soon\"}").patch(TRIGGERS + "/" + id).then().statusCode(400)
        .body("errors[0].field", equalTo("wait_days"));
    as(shop, "marketer").body("{\"colour\": 1}").patch(TRIGGERS + "/" + id).then().statusCode(400);
    as(shop, "analyst").get(TRIGGERS + "/" + id).then().statusCode(200).body("wait_days", equalTo(1))
        .body("channels", contains("sms"));
    as(shop, "marketer").queryParam("customer_id", "x").get(TRIGGERS + "/" + id + "/firings").then().statusCode(400);
  }

  @Test
  void createsListsAndReadsWithIdempotencyAndRoles() {
    String shop = InternalTokens.newTenant("shop-trg");
    String body = """
        {"name": "bd", "kind": "birthday", "days_before": 0, "channels": ["sms", "email"],
         "message": {"sms": "HB {name}", "email_subject": "HB", "email_body": "Dear {name}"}}""";
    long id = as(shop, "marketer").header("Idempotency-Key", "t-1").body(body).post(TRIGGERS).then().statusCode(201)
        .header("Location", endsWith(TRIGGERS + "/" + as(shop, "marketer").header("Idempotency-Key", "t-1").body(body)
            .post(TRIGGERS).then().statusCode(201).extract().path("id")))
        .body("enabled", equalTo(true)).body("kind", equalTo("birthday"))
        .extract().jsonPath().getLong("id");
    as(shop, "analyst").get(TRIGGERS).then().statusCode(200).body("items.id", contains((int) id));
    as(shop, "analyst").body(body).post(TRIGGERS).then().statusCode(403);
    as(shop, "integration").body("{\"enabled\": false}").patch(TRIGGERS + "/" + id).then().statusCode(403);
    as(shop, "agent").get(TRIGGERS + "/" + id).then().statusCode(200)
        .body("message.email_body", containsString("{name}"));
  }

  @Test
  void otherTenantSeesNotFoundAndItsCustomersNeverFire() {
    String shop = InternalTokens.newTenant("shop-trg");
    String other = InternalTokens.newTenant("shop-trg");
    long id = create(shop, """
        {"name": "win back", "kind": "win_back", "lifecycle_stage": "at_risk", "channels": ["sms"],
         "message": {"sms": "hi"}}""");
    as(other, "admin").get(TRIGGERS + "/" + id).then().statusCode(404).contentType("application/problem+json");
    as(other, "admin").body("{\"enabled\": false}").patch(TRIGGERS + "/" + id).then().statusCode(404);
    as(other, "admin").get(TRIGGERS + "/" + id + "/firings").then().statusCode(404);
    as(other, "admin").get(TRIGGERS).then().statusCode(200).body("items", hasSize(0));

    syncProfiles(other, "[{\"customer_id\": 1, \"name\": \"X\", \"lifecycle_stage\": \"at_risk\"}]");
    evaluate();
    assertEquals(0, sql("SELECT count(*) FROM trigger_firing WHERE tenant_id = ? OR trigger_id = ? AND tenant_id <> ?",
        other, id, shop));
    assertEquals(0, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ?", other));
    syncProfiles(shop, "[{\"customer_id\": 1, \"name\": \"Y\", \"lifecycle_stage\": \"at_risk\"}]");
    assertEquals(1, firings(shop, id));
    as(shop, "analyst").get(TRIGGERS + "/" + id).then().statusCode(200).body("enabled", equalTo(true));
  }

  @Test
  void enteringASegmentFiresWithinTheSyncOncePerEntryAndOnlyForContactableMembers() {
    String shop = InternalTokens.newTenant("shop-trg");
    syncProfiles(shop, """
        [{"customer_id": 1, "name": "Ann", "tags": []}, {"customer_id": 2, "name": "Bo", "tags": [],
          "consent_sms": false}, {"customer_id": 3, "name": "Cy", "tags": ["vip"]}]""");
    long vip = SegmentApi.create(shop, "{\"field\": \"tags\", \"op\": \"contains\", \"value\": \"vip\"}");
    long id = create(shop, """
        {"name": "welcome vip", "kind": "entered_segment", "segment_id": %d, "channels": ["sms"],
         "message": {"sms": "{name}, welcome to VIP"}}""".formatted(vip));

    // Ann and Bo enter: the sync itself fires the trigger (no scheduler run); Cy was a member before
    syncProfiles(shop, """
        [{"customer_id": 1, "name": "Ann", "tags": ["vip"]},
         {"customer_id": 2, "name": "Bo", "tags": ["vip"], "consent_sms": false}]""");
    assertEquals(2, firings(shop, id), "both entries are occasions");
    assertEquals(1, messages(shop, id), "Bo opted out of SMS: suppressed");
    assertEquals(1, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND trigger_id = ? AND customer_id = 1"
        + " AND body = ?", shop, id, "Ann, welcome to VIP 回T退订"));
    as(shop, "analyst").queryParam("customer_id", 2).get(TRIGGERS + "/" + id + "/firings").then().statusCode(200)
        .body("items[0].status", equalTo("suppressed"));

    syncProfiles(shop, "[{\"customer_id\": 1, \"name\": \"Ann\", \"tags\": [\"vip\"]}]");
    evaluate();
    assertEquals(2, firings(shop, id), "no new entry, no new firing");

    // Ann leaves and comes back a day later: a new entry, a new occasion
    syncProfiles(shop, "[{\"customer_id\": 1, \"name\": \"Ann\", \"tags\": []}]");
    clock.setTo(T0.plus(Duration.ofDays(1)));
    syncProfiles(shop, "[{\"customer_id\": 1, \"name\": \"Ann\", \"tags\": [\"vip\"]}]");
    assertEquals(2, messages(shop, id));

    String other = InternalTokens.newTenant("shop-trg");
    as(other, "analyst").get(TRIGGERS + "/" + id + "/firings").then().statusCode(404);
  }

  @Test
  void enteredSegmentWaitsItsDaysAndNeedsASegment() {
    String shop = InternalTokens.newTenant("shop-trg");
    long vip = SegmentApi.create(shop, "{\"field\": \"tags\", \"op\": \"contains\", \"value\": \"vip\"}");
    long id = create(shop, """
        {"name": "vip later", "kind": "entered_segment", "segment_id": %d, "wait_days": 2, "channels": ["app"],
         "message": {"app": "{name}, how is VIP going?"}}""".formatted(vip));
    syncProfiles(shop, "[{\"customer_id\": 1, \"name\": \"Ann\", \"tags\": [\"vip\"]}]");
    assertEquals(0, firings(shop, id), "not before 2 days");
    clock.setTo(T0.plus(Duration.ofDays(2)).plusSeconds(60));
    evaluate();
    assertEquals(1, firings(shop, id));

    as(shop, "marketer").body("""
            {"name": "x", "kind": "entered_segment", "days_before": 3, "channels": ["app"],
             "message": {"app": "hi"}}""").post(TRIGGERS).then().statusCode(400)
        .contentType("application/problem+json").body("errors.field", hasItems("segment_id", "days_before"));
    as(shop, "marketer").body("""
            {"name": "x", "kind": "entered_segment", "segment_id": %d, "channels": ["app"],
             "message": {"app": "{product}"}, "offer": {"type": "new_product", "products": [{"sku": "N", "name": "n"}]}}"""
            .formatted(vip)).post(TRIGGERS).then().statusCode(400).body("errors.field", hasItems("offer.type"));
  }

  private static long create(String shop, String body) {
    return as(shop, "marketer").body(body).post(TRIGGERS).then().log().ifValidationFails().statusCode(201)
        .extract().jsonPath().getLong("id");
  }

  private void evaluate() {
    evaluator.evaluateAll().await().atMost(Duration.ofSeconds(30));
  }

  private static long firings(String shop, long trigger) {
    return sql("SELECT count(*) FROM trigger_firing WHERE tenant_id = ? AND trigger_id = ?", shop, trigger);
  }

  private static long messages(String shop, long trigger) {
    return sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND trigger_id = ?", shop, trigger);
  }

  /** Delivers an order event (a fresh event id) and returns its body. */
  private static String orderEvent(String shop, String type, long customer, String orderNo, String at) {
    String body = """
        {"event_id": "%s", "type": "%s", "customer_id": %d, "order_no": "%s", "occurred_at": "%s",
         "payload": {"total_amount": 100}}""".formatted(UUID.randomUUID(), type, customer, orderNo, at);
    as(shop, "integration").body(body).post("/api/v1/campaigns/order-events").then().log().ifValidationFails()
        .statusCode(200);
    return body;
  }
}
