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
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.campaign.TestClock;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code {"events": [...]}} batches (order-service's campaign subscriber): applied in order in one
 * transaction, the same conversions and coupon redemptions as one event per call, idempotent by
 * event id, one tenant per call, refused whole when any event is bad.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class OrderEventBatchTest {

  static final String DAY = "2031-03-05T10:00:00+08:00";

  @Inject
  TestClock clock;

  @BeforeEach
  void daytime() {
    clock.setTo(CampaignLifecycleTest.DAYTIME);
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  static String event(String eventId, String type, String status, long customer, String orderNo, String amount,
      String refunded, String coupon) {
    return """
        {"event_id": "%s", "type": "%s", "customer_id": %d, "order_no": "%s", "occurred_at": "%s",
         "payload": {"total_amount": %s, "refunded_amount": %s, "coupon_code": %s, "status": "%s", "items": []}}"""
        .formatted(eventId, type, customer, orderNo, DAY, amount, refunded,
            coupon == null ? "null" : "\"" + coupon + "\"", status);
  }

  static ValidatableResponse batch(String shop, List<String> events) {
    StringJoiner body = new StringJoiner(",", "{\"events\": [", "]}");
    events.forEach(body::add);
    return as(shop, "integration").body(body.toString()).post(CAMPAIGNS + "/order-events").then()
        .log().ifValidationFails();
  }

  @Test
  void aBatchConvertsRedeemsAndReversesInOrderAsOneEventPerCallWould() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t"), 0));
    launch(shop, id);
    Map<Long, String> coupons = column("campaign_coupon", "code", shop, id);
    List<Long> buyers = new ArrayList<>(coupons.keySet());
    buyers.remove(2L); // customer 2 is suppressed (no consent) in shopWithAudience's audience
    long first = buyers.get(0);
    long second = buyers.get(1);
    long third = buyers.get(2);
    List<String> events = List.of(
        // paid, then completed: one conversion, made by the first event; the coupon redeemed once
        event("b1", "order.paid", "paid", first, "bo1", "100", "0", coupons.get(first)),
        event("b2", "order.completed", "completed", first, "bo1", "100", "0", coupons.get(first)),
        // the same code on a second order of its owner: already redeemed (by bo1, earlier in the batch)
        event("b3", "order.paid", "paid", first, "bo2", "100", "0", coupons.get(first)),
        // another buyer's code used by a stranger, then by its owner
        event("b4", "order.paid", "paid", third, "bo3", "100", "0", coupons.get(second)),
        event("b5", "order.created", "completed", second, "bo4", "100", "0", coupons.get(second)),
        // converted, then fully refunded in the same batch: the refund sees the conversion and takes it back
        event("b6", "order.paid", "paid", third, "bo5", "80", "0", null),
        event("b7", "order.refunded", "refunded", third, "bo5", "80", "80", null),
        // converted, then partly refunded: revenue lowered to what was kept
        event("b8", "order.paid", "paid", third, "bo6", "90", "0", null),
        event("b9", "order.refunded", "partially_refunded", third, "bo6", "90", "30", null),
        // not a conversion: created unpaid; the event id twice in one batch is applied once
        event("b10", "order.created", "created", second, "bo7", "70", "0", null),
        event("b10", "order.created", "created", second, "bo7", "70", "0", null));

    batch(shop, events).statusCode(200)
        .body("received", equalTo(11)).body("applied", equalTo(10)).body("duplicates", equalTo(1))
        .body("events.event_id", contains("b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b10"))
        .body("events.conversions", contains(1, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0))
        .body("events.coupon_outcome", contains("redeemed", "redeemed", "already_redeemed", "not_owner", "redeemed",
            null, null, null, null, null, null))
        .body("events.reversed", contains(0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0))
        .body("events.duplicate", contains(false, false, false, false, false, false, false, false, false, false,
            true));

    assertEquals(2, sql("SELECT count(*) FROM campaign_coupon WHERE tenant_id = ? AND redeemed_at IS NOT NULL", shop));
    assertEquals(1, sql("SELECT count(*) FROM campaign_coupon WHERE tenant_id = ? AND redeemed_order_no = 'bo1'", shop));
    assertEquals(1, sql("SELECT count(*) FROM campaign_coupon WHERE tenant_id = ? AND redeemed_order_no = 'bo4'", shop));
    assertEquals(5, sql("SELECT count(*) FROM campaign_conversion WHERE tenant_id = ? AND campaign_id = ?", shop, id),
        "bo1, bo2, bo3, bo4 and bo6; bo5 was refunded in full");
    assertEquals(60, sql("SELECT revenue::bigint FROM campaign_conversion WHERE tenant_id = ? AND order_no = 'bo6'",
        shop), "bo6 keeps 90 - 30");
    assertEquals(11 - 1, sql("SELECT count(*) FROM campaign_order_event WHERE tenant_id = ?", shop));
  }

  @Test
  void aResentBatchIsAllDuplicatesAndChangesNothing() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t"), 0));
    launch(shop, id);
    Map<Long, String> coupons = column("campaign_coupon", "code", shop, id);
    long owner = coupons.keySet().stream().filter(c -> c != 2).findFirst().orElseThrow();
    List<String> events = List.of(
        event("r1", "order.paid", "paid", owner, "ro1", "100", "0", coupons.get(owner)),
        event("r2", "order.completed", "completed", owner, "ro1", "100", "0", null));
    batch(shop, events).statusCode(200).body("applied", equalTo(2)).body("conversions", equalTo(1));
    // order-service sends a batch again after a crash between the call and its bookkeeping
    batch(shop, events).statusCode(200).body("applied", equalTo(0)).body("duplicates", equalTo(2))
        .body("conversions", equalTo(0)).body("events.duplicate", contains(true, true));
    // and the single-event path sees the same ids as received
    as(shop, "integration").body(events.get(0)).post(CAMPAIGNS + "/order-events").then().statusCode(200)
        .body("duplicate", equalTo(true));
    assertEquals(1, sql("SELECT count(*) FROM campaign_conversion WHERE tenant_id = ? AND campaign_id = ?", shop, id));
    assertEquals(1, sql("SELECT count(*) FROM campaign_coupon WHERE tenant_id = ? AND redeemed_at IS NOT NULL", shop));
    assertEquals(2, sql("SELECT count(*) FROM campaign_order_event WHERE tenant_id = ?", shop));
    as(shop, "analyst").get(CAMPAIGNS + "/" + id + "/report").then().statusCode(200)
        .body("arms.conversions.sum()", equalTo(1)).body("coupons.redeemed", equalTo(1));
  }

  @Test
  void aBatchNamingAnotherTenantIsRefusedWhole() {
    String shop = InternalTokens.newTenant("shop-cmp");
    String other = InternalTokens.newTenant("shop-cmp");
    String mine = event("t1", "order.paid", "paid", 7, "to1", "100", "0", null)
        .replaceFirst("\\{", "{\"tenant_id\": \"" + shop + "\", ");
    String theirs = event("t2", "order.paid", "paid", 8, "to2", "100", "0", null)
        .replaceFirst("\\{", "{\"tenant_id\": \"" + other + "\", ");
    batch(shop, List.of(mine, theirs)).statusCode(400).contentType("application/problem+json")
        .body("errors.field", contains("events[1].tenant_id"));
    assertEquals(0, sql("SELECT count(*) FROM campaign_order_event WHERE event_id IN ('t1', 't2')"));
    // its own tenant named, the batch is taken
    batch(shop, List.of(mine)).statusCode(200).body("applied", equalTo(1));
  }

  @Test
  void aBatchWithABadEventIsRefusedWholeListingEachError() {
    String shop = InternalTokens.newTenant("shop-cmp");
    String good = event("v1", "order.paid", "paid", 7, "vo1", "100", "0", null);
    String noTime = "{\"event_id\": \"v2\", \"type\": \"order.paid\", \"customer_id\": 7}";
    String badAmount = event("v3", "order.paid", "paid", 7, "vo3", "\"ten\"", "0", null);
    batch(shop, List.of(good, noTime, badAmount)).statusCode(400).contentType("application/problem+json")
        .body("errors.field", hasItems("events[1].occurred_at", "events[2].payload.total_amount"));
    assertEquals(0, sql("SELECT count(*) FROM campaign_order_event WHERE tenant_id = ?", shop));
    as(shop, "integration").body("{\"events\": []}").post(CAMPAIGNS + "/order-events").then().statusCode(400);
  }
}
