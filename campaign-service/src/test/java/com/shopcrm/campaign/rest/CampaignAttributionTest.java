package com.shopcrm.campaign.rest;

import static com.shopcrm.campaign.rest.CampaignCalls.CAMPAIGNS;
import static com.shopcrm.campaign.rest.CampaignCalls.body;
import static com.shopcrm.campaign.rest.CampaignCalls.column;
import static com.shopcrm.campaign.rest.CampaignCalls.create;
import static com.shopcrm.campaign.rest.CampaignCalls.launch;
import static com.shopcrm.campaign.rest.CampaignCalls.segment;
import static com.shopcrm.campaign.rest.CampaignCalls.shopWithAudience;
import static com.shopcrm.campaign.rest.SegmentApi.as;
import static com.shopcrm.campaign.rest.SegmentApi.sql;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.campaign.TestClock;
import com.shopcrm.campaign.service.CampaignDispatcher;
import com.shopcrm.campaign.service.CampaignStats;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Order events as conversions per arm and control, coupons redeemed once by their owner, the report's numbers. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class CampaignAttributionTest {

  @Inject
  TestClock clock;

  @Inject
  CampaignDispatcher dispatcher;

  @BeforeEach
  void daytime() {
    clock.setTo(CampaignLifecycleTest.DAYTIME);
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  static ValidatableResponse order(String shop, String eventId, String type, long customer, String orderNo,
      String occurredAt, String amount, String coupon) {
    return order(shop, eventId, type, "paid", customer, orderNo, occurredAt, amount, coupon);
  }

  static ValidatableResponse order(String shop, String eventId, String type, String status, long customer,
      String orderNo, String occurredAt, String amount, String coupon) {
    return as(shop, "integration").body("""
            {"event_id": "%s", "type": "%s", "customer_id": %d, "order_no": "%s", "occurred_at": "%s",
             "customer_external_id": "x", "payload": {"total_amount": %s, "coupon_code": %s, "status": "%s",
             "items": []}}""".formatted(eventId, type, customer, orderNo, occurredAt, amount,
            coupon == null ? "null" : "\"" + coupon + "\"", status))
        .post(CAMPAIGNS + "/order-events").then().log().ifValidationFails().statusCode(200);
  }

  private static List<Long> members(Map<Long, String> arms, String arm) {
    List<Long> list = new ArrayList<>();
    arms.forEach((customer, a) -> {
      if (a.equals(arm) && customer != 2) {
        list.add(customer);
      }
    });
    return list;
  }

  @Test
  void ordersWithinTheWindowAreConversionsPerArmAndTheReportAddsUp() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t"), 20));
    launch(shop, id);
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    Map<Long, String> arms = column("campaign_recipient", "arm", shop, id);
    List<Long> a = members(arms, "a");
    List<Long> b = members(arms, "b");
    List<Long> control = members(arms, "control");
    Map<Long, String> coupons = column("campaign_coupon", "code", shop, id);
    String day = "2031-03-05T10:00:00+08:00";

    // arm a: three buyers of 100, one using its own coupon; its paid + completed count once
    order(shop, "e1", "order.paid", a.get(0), "o1", day, "100", coupons.get(a.get(0)))
        .body("conversions", equalTo(1)).body("coupon_outcome", equalTo("redeemed"));
    order(shop, "e2", "order.completed", a.get(0), "o1", day, "100", coupons.get(a.get(0)))
        .body("conversions", equalTo(0));
    order(shop, "e1", "order.paid", a.get(0), "o1", day, "100", null).body("duplicate", equalTo(true));
    order(shop, "e3", "order.paid", a.get(1), "o2", day, "100", null);
    order(shop, "e4", "order.completed", a.get(2), "o3", day, "100", null);
    // arm b: one buyer of 50; control: one buyer of 80
    order(shop, "e5", "order.paid", b.get(0), "o4", day, "50", null);
    order(shop, "e6", "order.paid", control.get(0), "o5", day, "80", null);
    // arm b: an order that arrived already completed (only its order.created event) converts too
    order(shop, "e11", "order.created", "completed", b.get(2), "o10", day, "60", null).body("conversions", equalTo(1));
    // not conversions: created unpaid, after the 30-day window, before launch, the opted-out customer
    order(shop, "e7", "order.created", "created", b.get(1), "o6", day, "70", null).body("conversions", equalTo(0));
    order(shop, "e8", "order.paid", b.get(1), "o7", "2031-04-03T03:00:00Z", "70", null).body("conversions", equalTo(0));
    order(shop, "e9", "order.paid", b.get(1), "o8", "2031-03-01T00:00:00Z", "70", null).body("conversions", equalTo(0));
    order(shop, "e10", "order.paid", 2, "o9", day, "70", null).body("conversions", equalTo(0));

    double rateA = 3.0 / a.size();
    double rateB = 2.0 / b.size();
    double best = Math.max(rateA, rateB);
    long bestConversions = rateA >= rateB ? 3 : 2;
    long bestSize = rateA >= rateB ? a.size() : b.size();
    CampaignStats.Uplift expected = CampaignStats.uplift(bestConversions, bestSize, 1, control.size());
    long sent = a.size() + b.size();
    double cost = sent * 0.05 + 10; // SMS sent + the one redeemed 10 CNY coupon
    as(shop, "analyst")
        .config(RestAssuredConfig.config().jsonConfig(JsonConfig.jsonConfig().numberReturnType(NumberReturnType.DOUBLE)))
        .get(CAMPAIGNS + "/" + id + "/report").then().statusCode(200)
        .body("audience", equalTo(40))
        .body("suppressed.consent", equalTo(1))
        .body("arms[0].name", equalTo("a"))
        .body("arms[0].recipients", equalTo(a.size()))
        .body("arms[0].sent", equalTo(a.size()))
        .body("arms[0].conversions", equalTo(3))
        .body("arms[0].revenue", equalTo(300.0))
        .body("arms[1].recipients", equalTo(b.size()))
        .body("arms[1].conversions", equalTo(2))
        .body("arms[1].revenue", equalTo(110.0))
        .body("control.recipients", equalTo(control.size()))
        .body("control.conversions", equalTo(1))
        .body("control.revenue", equalTo(80.0))
        .body("uplift", closeTo(best - 1.0 / control.size(), 1e-9))
        .body("p_value", closeTo(expected.pValue(), 1e-9))
        .body("uplift95.low", closeTo(expected.low(), 1e-9))
        .body("winner", nullValue())
        .body("coupons.redeemed", equalTo(1))
        .body("cost", closeTo(cost, 1e-6))
        .body("roi", closeTo(Math.round((410 - cost) / cost * 10000) / 10000.0, 1e-9));
    assertEquals(6, sql("SELECT count(*) FROM campaign_conversion WHERE tenant_id = ? AND campaign_id = ?", shop, id));
  }

  @Test
  void refundsAndCancellationsTakeTheirRevenueBackFromTheConversions() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t"), 20));
    launch(shop, id);
    Map<Long, String> arms = column("campaign_recipient", "arm", shop, id);
    List<Long> a = members(arms, "a");
    String day = "2031-03-05T10:00:00+08:00";
    order(shop, "p1", "order.paid", a.get(0), "r1", day, "100", null).body("conversions", equalTo(1));
    order(shop, "p2", "order.paid", a.get(1), "r2", day, "100", null).body("conversions", equalTo(1));
    order(shop, "p3", "order.paid", a.get(2), "r3", day, "60", null).body("conversions", equalTo(1));

    refund(shop, "f1", "order.refunded", "partially_refunded", a.get(0), "r1", "100", "30")
        .body("reversed", equalTo(1)).body("conversions", equalTo(0));
    refund(shop, "f1", "order.refunded", "partially_refunded", a.get(0), "r1", "100", "30")
        .body("duplicate", equalTo(true)).body("reversed", equalTo(0));
    refund(shop, "f2", "order.refunded", "refunded", a.get(1), "r2", "100", "100").body("reversed", equalTo(1));
    refund(shop, "f3", "order.cancelled", "cancelled", a.get(2), "r3", "60", "0").body("reversed", equalTo(1));
    refund(shop, "f4", "order.refunded", "refunded", a.get(2), "not-attributed", "10", "10").body("reversed", equalTo(0));

    as(shop, "analyst").get(CAMPAIGNS + "/" + id + "/report").then().statusCode(200)
        .body("arms[0].conversions", equalTo(1)).body("arms[0].revenue", equalTo(70.0f));
    assertEquals(1, sql("SELECT count(*) FROM campaign_conversion WHERE tenant_id = ? AND campaign_id = ?", shop, id));
    String other = InternalTokens.newTenant("shop-cmp");
    refund(other, "f5", "order.refunded", "refunded", a.get(0), "r1", "100", "100").body("reversed", equalTo(0));
    assertEquals(1, sql("SELECT count(*) FROM campaign_conversion WHERE tenant_id = ? AND order_no = 'r1'", shop));
  }

  private static ValidatableResponse refund(String shop, String eventId, String type, String status, long customer,
      String orderNo, String total, String refunded) {
    return as(shop, "integration").body("""
            {"event_id": "%s", "type": "%s", "customer_id": %d, "order_no": "%s", "occurred_at": "2031-03-06T00:00:00Z",
             "payload": {"total_amount": %s, "refunded_amount": %s, "status": "%s"}}"""
            .formatted(eventId, type, customer, orderNo, total, refunded, status))
        .post(CAMPAIGNS + "/order-events").then().log().ifValidationFails().statusCode(200);
  }

  @Test
  void couponIsRedeemedOnceOnlyByItsOwnerInItsOwnShop() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t"), 0));
    launch(shop, id);
    Map<Long, String> coupons = column("campaign_coupon", "code", shop, id);
    long owner = coupons.keySet().iterator().next();
    long stranger = coupons.keySet().stream().filter(c -> c != owner).findFirst().orElseThrow();
    String code = coupons.get(owner);
    String day = "2031-03-04T10:00:00Z";

    order(shop, uuid(), "order.paid", stranger, "s1", day, "100", code).body("coupon_outcome", equalTo("not_owner"));
    order(shop, uuid(), "order.paid", owner, "o1", day, "20", code).body("coupon_outcome", equalTo("below_min_spend"));
    order(shop, uuid(), "order.paid", owner, "o2", day, "100", code).body("coupon_outcome", equalTo("redeemed"));
    order(shop, uuid(), "order.paid", owner, "o3", day, "100", code).body("coupon_outcome", equalTo("already_redeemed"));
    String other = InternalTokens.newTenant("shop-cmp");
    order(other, uuid(), "order.paid", owner, "x1", day, "100", code).body("coupon_outcome", equalTo("unknown_code"));

    assertEquals(1, sql("SELECT count(*) FROM campaign_coupon WHERE tenant_id = ? AND redeemed_at IS NOT NULL", shop));
    assertEquals(1, sql("SELECT count(*) FROM campaign_coupon WHERE tenant_id = ? AND redeemed_order_no = 'o2'", shop));
    assertEquals(1, sql("SELECT count(*) FROM campaign_order_event WHERE tenant_id = ? AND coupon_outcome = 'not_owner'",
        shop), "a refused redemption is recorded");
    as(shop, "analyst").get(CAMPAIGNS + "/" + id + "/report").then().body("coupons.redeemed", equalTo(1));
  }

  @Test
  void rejectsAnEventWithoutIdOrTimeAndIgnoresUnknownFields() {
    String shop = InternalTokens.newTenant("shop-cmp");
    as(shop, "integration").body("{\"type\": \"order.paid\", \"customer_id\": \"seven\"}").post(CAMPAIGNS + "/order-events")
        .then().statusCode(400).contentType("application/problem+json")
        .body("errors.field", org.hamcrest.Matchers.hasItems("event_id", "occurred_at", "customer_id"));
    order(shop, uuid(), "order.refunded", 1, "o1", "2031-03-04T10:00:00Z", "1", null)
        .body("duplicate", equalTo(false)).body("conversions", equalTo(0));
  }

  @Test
  void rejectsAnEventWhoseAmountOverflowsADouble() {
    String shop = InternalTokens.newTenant("shop-cmp");
    for (String amount : new String[] {"1e400", "-1e400"}) {
      as(shop, "integration").body("{\"event_id\": \"" + uuid() + "\", \"type\": \"order.paid\", \"customer_id\": 7,"
              + " \"order_no\": \"o1\", \"occurred_at\": \"2031-03-04T10:00:00Z\", \"payload\": {\"total_amount\": "
              + amount + "}}")
          .post(CAMPAIGNS + "/order-events")
          .then().statusCode(400).contentType("application/problem+json")
          .body("errors.field", org.hamcrest.Matchers.hasItem("payload.total_amount"));
    }
  }

  @Test
  void rejectsABodyWithADuplicateKey() {
    String shop = InternalTokens.newTenant("shop-cmp");
    // a record with one property used to be built at the first key and fail at the second: a 500
    as(shop, "admin").body("{\"rule\": {\"field\": \"tags\", \"op\": \"contains\", \"value\": \"a\"},"
            + " \"rule\": {\"field\": \"tags\", \"op\": \"contains\", \"value\": \"b\"}}")
        .post("/api/v1/segments/validate")
        .then().statusCode(400).contentType("application/problem+json")
        .body("detail", org.hamcrest.Matchers.containsString("Duplicate field 'rule'"));
  }

  private static String uuid() {
    return UUID.randomUUID().toString();
  }
}
