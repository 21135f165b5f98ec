package com.shopcrm.campaign.rest;

import static com.shopcrm.campaign.rest.SegmentApi.SEGMENTS;
import static com.shopcrm.campaign.rest.SegmentApi.as;
import static com.shopcrm.campaign.rest.SegmentApi.count;
import static com.shopcrm.campaign.rest.SegmentApi.create;
import static com.shopcrm.campaign.rest.SegmentApi.sql;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.campaign.TestClock;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A profile item {@code {customer_id, deleted: true}} removes a deleted or merged-away customer from
 * the read model: profile, events and memberships (exits recorded), idempotently; campaign history stays.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class ProfileDeleteSyncTest {

  private static final String NOT_SHANGHAI = "{\"not\": {\"field\":\"city\",\"op\":\"eq\",\"value\":\"上海\"}}";
  private static final String VIEWED = "{\"field\":\"event.view\",\"op\":\"exists\",\"value\":true}";

  @Inject
  TestClock clock;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  static ValidatableResponse sync(String shop, String profiles) {
    return as(shop, "integration").body("{\"profiles\": " + profiles + "}").post(SEGMENTS + "/profiles/sync")
        .then().log().ifValidationFails();
  }

  /** Customers 1 (上海, viewed), 2 (杭州, viewed), 3 (no city, never viewed). */
  static String shop() {
    String shop = InternalTokens.newTenant("shop-del");
    SegmentApi.syncProfiles(shop, """
        [{"customer_id": 1, "name": "A", "city": "上海", "tags": ["t"]},
         {"customer_id": 2, "name": "B", "city": "杭州", "tags": ["t"]},
         {"customer_id": 3, "name": "C", "tags": ["t"]}]""");
    SegmentApi.syncEvents(shop, """
        [{"customer_id": 1, "type": "view", "occurred_at": "2031-01-01T00:00:00Z"},
         {"customer_id": 2, "type": "view", "occurred_at": "2031-01-01T00:00:00Z"},
         {"customer_id": 2, "type": "view", "occurred_at": "2031-01-02T00:00:00Z"}]""");
    return shop;
  }

  private static long held(String table, String shop, long customer) {
    return sql("SELECT count(*) FROM " + table + " WHERE tenant_id = ? AND customer_id = ?", shop, customer);
  }

  @Test
  void aDeletedCustomerLeavesProfileEventsAndSegmentsWithExitEvents() {
    String shop = shop();
    long notShanghai = create(shop, NOT_SHANGHAI);
    long viewed = create(shop, VIEWED);
    assertEquals(2, count(shop, notShanghai));
    assertEquals(2, count(shop, viewed));

    sync(shop, "[{\"customer_id\": 2, \"deleted\": true}]").statusCode(200)
        .body("received", equalTo(1)).body("customers", equalTo(1))
        .body("inserted", equalTo(0)).body("deleted", equalTo(1))
        .body("membership.entered", equalTo(0)).body("membership.exited", equalTo(2));

    assertEquals(1, count(shop, notShanghai), "a rule on a missing value no longer counts it");
    assertEquals(1, count(shop, viewed), "nor does event.view exists");
    assertEquals(0, held("audience_profile", shop, 2));
    assertEquals(0, held("audience_event", shop, 2));
    assertEquals(0, held("segment_member", shop, 2));
    assertEquals(2, sql("SELECT count(*) FROM segment_membership_event WHERE tenant_id = ? AND customer_id = 2"
        + " AND type = 'segment.exited'", shop));
    as(shop, "analyst").get(SEGMENTS + "/" + notShanghai + "/members").then().statusCode(200)
        .body("items.customer_id", containsInAnyOrder(3));
    assertEquals(1, held("audience_event", shop, 1), "others keep theirs");

    // again, and a customer never held: nothing changes, no membership event
    sync(shop, "[{\"customer_id\": 2, \"deleted\": true}, {\"customer_id\": 99, \"deleted\": true}]").statusCode(200)
        .body("deleted", equalTo(0)).body("membership.exited", equalTo(0)).body("membership.entered", equalTo(0));
    assertEquals(2, sql("SELECT count(*) FROM segment_membership_event WHERE tenant_id = ? AND customer_id = 2",
        shop));
    assertEquals(2, sql("SELECT count(*) FROM audience_profile WHERE tenant_id = ?", shop));
  }

  @Test
  void campaignHistoryStays() {
    clock.setTo(CampaignLifecycleTest.DAYTIME);
    String shop = shop();
    long campaign = CampaignCalls.create(shop, CampaignCalls.body(create(shop, NOT_SHANGHAI), 0));
    CampaignCalls.launch(shop, campaign);
    long recipients = held("campaign_recipient", shop, 3);
    long messages = held("campaign_message", shop, 3);
    long coupons = held("campaign_coupon", shop, 3);
    assertEquals(1, recipients);
    assertEquals(1, coupons);

    sync(shop, "[{\"customer_id\": 3, \"deleted\": true}]").statusCode(200).body("deleted", equalTo(1));
    assertEquals(recipients, held("campaign_recipient", shop, 3));
    assertEquals(messages, held("campaign_message", shop, 3));
    assertEquals(coupons, held("campaign_coupon", shop, 3));
    as(shop, "analyst").get("/api/v1/campaigns/" + campaign + "/report").then().statusCode(200)
        .body("audience", equalTo(2));
  }

  @Test
  void aRemovedCustomerStaysRemoved() {
    String shop = shop();
    long notShanghai = create(shop, NOT_SHANGHAI);
    sync(shop, """
        [{"customer_id": 2, "city": "北京"}, {"customer_id": 2, "deleted": true},
         {"customer_id": 2, "name": "again"}]""").statusCode(200)
        .body("deleted", equalTo(1)).body("inserted", equalTo(0)).body("customers", equalTo(1));
    assertEquals(0, held("audience_profile", shop, 2));
    assertEquals(1, count(shop, notShanghai));

    // scoring-service keeps scoring a deleted customer's orders: its push must not bring the profile back
    sync(shop, "[{\"customer_id\": 2, \"rfm_segment\": \"important_value\", \"p_alive\": 0.9}]").statusCode(200)
        .body("inserted", equalTo(0)).body("membership.entered", equalTo(0));
    SegmentApi.syncEvents(shop, "[{\"customer_id\": 2, \"type\": \"view\", \"occurred_at\": \"2031-02-01T00:00:00Z\"}]");
    assertEquals(0, held("audience_profile", shop, 2));
    assertEquals(0, held("audience_event", shop, 2));
    assertEquals(1, count(shop, notShanghai));
    assertEquals(1, sql("SELECT count(*) FROM audience_removed WHERE tenant_id = ? AND customer_id = 2", shop));
    // others are unaffected
    sync(shop, "[{\"customer_id\": 4, \"name\": \"D\"}]").statusCode(200).body("inserted", equalTo(1));
    assertEquals(2, count(shop, notShanghai));
  }

  @Test
  void aDeleteItemCarriesNothingElseAndABadBatchChangesNothing() {
    String shop = shop();
    sync(shop, """
        [{"customer_id": 3, "name": "changed"},
         {"customer_id": 1, "deleted": true, "city": null},
         {"customer_id": 2, "deleted": false},
         {"deleted": true}]""").statusCode(400).contentType("application/problem+json")
        .body("errors.field", containsInAnyOrder("profiles[1].city", "profiles[2].deleted",
            "profiles[3].customer_id"));
    assertEquals(3, sql("SELECT count(*) FROM audience_profile WHERE tenant_id = ?", shop));
    assertEquals(0, sql("SELECT count(*) FROM audience_profile WHERE tenant_id = ? AND name = 'changed'", shop));
    assertEquals(3, sql("SELECT count(*) FROM audience_event WHERE tenant_id = ?", shop));
  }

  @Test
  void aDeleteTouchesOnlyTheCallersShop() {
    String shop = shop();
    String other = shop();
    long seg = create(shop, NOT_SHANGHAI);
    sync(other, "[{\"customer_id\": 2, \"deleted\": true}]").statusCode(200).body("deleted", equalTo(1));
    assertEquals(1, held("audience_profile", shop, 2));
    assertEquals(2, held("audience_event", shop, 2));
    assertEquals(2, count(shop, seg));
    as(shop, "analyst").get(SEGMENTS + "/" + seg + "/members").then().body("items.customer_id",
        containsInAnyOrder(2, 3));
    // only the sync roles may delete
    as(shop, "marketer").body("{\"profiles\": [{\"customer_id\": 2, \"deleted\": true}]}")
        .post(SEGMENTS + "/profiles/sync").then().statusCode(403);
    assertEquals(1, held("audience_profile", shop, 2));
  }
}
