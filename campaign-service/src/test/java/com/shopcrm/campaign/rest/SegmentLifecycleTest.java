package com.shopcrm.campaign.rest;

import static com.shopcrm.campaign.rest.SegmentApi.SEGMENTS;
import static com.shopcrm.campaign.rest.SegmentApi.as;
import static com.shopcrm.campaign.rest.SegmentApi.create;
import static com.shopcrm.campaign.rest.SegmentApi.sql;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Saving, changing and deleting segments; count, preview, live membership, roles and tenants. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class SegmentLifecycleTest {

  private static final String VIP = "{\"field\":\"tags\",\"op\":\"contains\",\"value\":\"vip\"}";
  private static final String GOLD = "{\"field\":\"tier\",\"op\":\"eq\",\"value\":\"gold\"}";

  private static String audience() {
    String shop = InternalTokens.newTenant("shop-seg");
    SegmentApi.syncProfiles(shop, """
        [{"customer_id": 1, "name": "A", "tags": ["vip"], "tier": "gold", "city": "杭州"},
         {"customer_id": 2, "name": "B", "tags": ["vip"], "tier": "silver"},
         {"customer_id": 3, "name": "C", "tags": [], "tier": "gold"}]""");
    return shop;
  }

  @Test
  void createsAndReadsASegmentWithCountAndPreview() {
    String shop = audience();
    int id = as(shop, "marketer")
        .body("{\"name\": \"VIPs\", \"description\": \"tagged vip\", \"rule\": " + VIP + "}")
        .post(SEGMENTS)
        .then().statusCode(201)
        .header("Location", containsString(SEGMENTS + "/"))
        .body("name", equalTo("VIPs"))
        .body("rule.field", equalTo("tags"))
        .extract().path("id");
    as(shop, "analyst").get(SEGMENTS + "/" + id).then().statusCode(200)
        .body("description", equalTo("tagged vip")).body("references", hasSize(0));
    as(shop, "analyst").get(SEGMENTS + "/" + id + "/count").then().statusCode(200).body("count", equalTo(2));
    as(shop, "analyst").queryParam("limit", 1).get(SEGMENTS + "/" + id + "/preview").then().statusCode(200)
        .body("items", hasSize(1))
        .body("items[0].customer_id", equalTo(1))
        .body("items[0].tags", contains("vip"))
        .body("items[0]", not(org.hamcrest.Matchers.hasKey("phone")))
        .body("items[0]", not(org.hamcrest.Matchers.hasKey("email")));
    as(shop, "analyst").get(SEGMENTS + "/" + id + "/members").then().statusCode(200)
        .body("items.customer_id", contains(1, 2)).body("next_cursor", nullValue());
    assertEquals(0, sql("SELECT count(*) FROM segment_membership_event WHERE tenant_id = ?", shop),
        "the first members are a baseline, not entries");
  }

  @Test
  void previewsAnUnsavedRuleWithCountAndSample() {
    String shop = audience();
    as(shop, "analyst").body("{\"rule\": " + GOLD + "}").post(SEGMENTS + "/preview")
        .then().statusCode(200)
        .body("count", equalTo(2))
        .body("sample.customer_id", contains(1, 3));
    as(shop, "analyst").queryParam("limit", 101).body("{\"rule\": " + GOLD + "}").post(SEGMENTS + "/preview")
        .then().statusCode(400).body("errors[0].field", equalTo("limit"));
  }

  @Test
  void rejectsInvalidRulesWithPathsAndSavesNothing() {
    String shop = InternalTokens.newTenant("shop-seg");
    as(shop, "marketer").body("{\"name\": \"bad\", \"rule\": {\"all\": [" + VIP + ", {\"any\": ["
            + "{\"field\":\"city\",\"op\":\"gt\",\"value\":\"a\"}, {\"field\":\"ctiy\",\"op\":\"eq\",\"value\":\"a\"},"
            + "{\"field\":\"p_alive\",\"op\":\"gte\",\"value\":\"high\"}]}]}}")
        .post(SEGMENTS)
        .then().statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", contains("rule.all[1].any[0].op", "rule.all[1].any[1].field", "rule.all[1].any[2].value"))
        .body("errors[0].message", equalTo("operator 'gt' does not apply to text field 'city'"))
        .body("errors[1].message", equalTo("unknown field 'ctiy'"));
    as(shop, "marketer").body("{\"name\": \"bad\", \"rule\": {\"any\": []}}").post(SEGMENTS)
        .then().statusCode(400).body("errors[0].field", equalTo("rule.any"));
    as(shop, "marketer").body("{\"name\": \"\", \"rule\": " + VIP + "}").post(SEGMENTS)
        .then().statusCode(400).body("errors[0].field", equalTo("name"));
    as(shop, "marketer").body("{\"name\": \"x\", \"rule\": " + VIP + ", \"colour\": 1}").post(SEGMENTS)
        .then().statusCode(400).body("errors[0].field", equalTo("colour"));
    assertEquals(0, sql("SELECT count(*) FROM segment WHERE tenant_id = ?", shop));
  }

  @Test
  void validateAnswersErrorsWithoutSaving() {
    String shop = InternalTokens.newTenant("shop-seg");
    as(shop, "analyst").body("{\"rule\": " + VIP + "}").post(SEGMENTS + "/validate")
        .then().statusCode(200).body("valid", equalTo(true)).body("errors", hasSize(0));
    as(shop, "analyst").body("{\"rule\": {\"field\":\"segment\",\"op\":\"in\",\"value\":[987654321]}}")
        .post(SEGMENTS + "/validate")
        .then().statusCode(200).body("valid", equalTo(false))
        .body("errors[0].field", equalTo("rule.value[0]"))
        .body("errors[0].message", equalTo("segment 987654321 does not exist"));
  }

  @Test
  void referencesOtherSegmentsAndRefusesCycles() {
    String shop = audience();
    long vip = create(shop, VIP);
    long goldVip = create(shop, "{\"all\": [" + GOLD + ", {\"field\":\"segment\",\"op\":\"in\",\"value\":[" + vip + "]}]}");
    assertEquals(1, SegmentApi.count(shop, goldVip));
    as(shop, "marketer").get(SEGMENTS + "/" + goldVip).then().body("references", contains((int) vip));

    // vip -> goldVip would close the loop goldVip -> vip -> goldVip
    as(shop, "marketer").body("{\"rule\": {\"field\":\"segment\",\"op\":\"not_in\",\"value\":[" + goldVip + "]}}")
        .patch(SEGMENTS + "/" + vip)
        .then().statusCode(400)
        .body("errors[0].field", equalTo("rule.value[0]"))
        .body("errors[0].message", equalTo("segment reference cycle: " + vip + " → " + goldVip + " → " + vip));
    as(shop, "marketer").body("{\"name\":\"self\", \"rule\": {\"field\":\"segment\",\"op\":\"in\",\"value\":[" + vip + "]}}")
        .put(SEGMENTS + "/" + vip)
        .then().statusCode(400).body("errors[0].message", equalTo("a segment cannot reference itself"));

    as(shop, "marketer").delete(SEGMENTS + "/" + vip).then().statusCode(409)
        .body("detail", containsString("referenced by segment(s) " + goldVip));
    as(shop, "marketer").delete(SEGMENTS + "/" + goldVip).then().statusCode(204);
    as(shop, "marketer").delete(SEGMENTS + "/" + vip).then().statusCode(204);
    as(shop, "marketer").get(SEGMENTS + "/" + vip).then().statusCode(404);
    assertEquals(0, sql("SELECT count(*) FROM segment_member WHERE tenant_id = ?", shop));
  }

  @Test
  void changingTheRuleRevalidatesAndRecomputesMembership() {
    String shop = audience();
    long id = create(shop, VIP);
    as(shop, "marketer").body("{\"rule\": {\"field\":\"tier\",\"op\":\"gt\",\"value\":\"a\"}}")
        .patch(SEGMENTS + "/" + id).then().statusCode(400).body("errors[0].field", equalTo("rule.op"));
    as(shop, "marketer").body("{\"name\": \"gold\", \"rule\": " + GOLD + "}").put(SEGMENTS + "/" + id)
        .then().statusCode(200).body("name", equalTo("gold")).body("description", nullValue());
    as(shop, "marketer").get(SEGMENTS + "/" + id + "/members").then().body("items.customer_id", contains(1, 3));
    assertEquals(1, sql("SELECT count(*) FROM segment_membership_event WHERE tenant_id = ? AND segment_id = ?"
        + " AND type = 'segment.entered' AND customer_id = 3", shop, id));
    assertEquals(1, sql("SELECT count(*) FROM segment_membership_event WHERE tenant_id = ? AND segment_id = ?"
        + " AND type = 'segment.exited' AND customer_id = 2", shop, id));
    as(shop, "marketer").body("{\"description\": \"renamed only\"}").patch(SEGMENTS + "/" + id)
        .then().statusCode(200).body("name", equalTo("gold")).body("rule.value", equalTo("gold"));
  }

  @Test
  void membershipFollowsProfileAndEventSyncsWithEnterAndExitEvents() {
    String shop = audience();
    long vip = create(shop, VIP);
    long abandoned = create(shop, "{\"field\":\"event.cart_abandon\",\"op\":\"within_last\",\"value\":3}");

    // customer 3 becomes vip, customer 1 loses it (partial sync: only tags; tier stays)
    SegmentApi.syncProfiles(shop, "[{\"customer_id\": 3, \"tags\": [\"vip\"]}, {\"customer_id\": 1, \"tags\": []}]");
    as(shop, "analyst").get(SEGMENTS + "/" + vip + "/members").then().body("items.customer_id", contains(2, 3));
    assertEquals(1, sql("SELECT count(*) FROM segment_membership_event WHERE tenant_id = ? AND segment_id = ?"
        + " AND customer_id = 3 AND type = 'segment.entered'", shop, vip));
    assertEquals(1, sql("SELECT count(*) FROM segment_membership_event WHERE tenant_id = ? AND segment_id = ?"
        + " AND customer_id = 1 AND type = 'segment.exited'", shop, vip));
    assertEquals(1, sql("SELECT count(*) FROM audience_profile WHERE tenant_id = ? AND customer_id = 1"
        + " AND tier = 'gold' AND name = 'A'", shop), "fields not in the sync are kept");

    // the same sync again: idempotent, no new events
    SegmentApi.syncProfiles(shop, "[{\"customer_id\": 3, \"tags\": [\"vip\"]}, {\"customer_id\": 1, \"tags\": []}]");
    assertEquals(2, sql("SELECT count(*) FROM segment_membership_event WHERE tenant_id = ?", shop));

    String recent = OffsetDateTime.now(ZoneOffset.UTC).minusHours(2).toString();
    SegmentApi.syncEvents(shop, "[{\"customer_id\": 2, \"type\": \"cart_abandon\", \"occurred_at\": \"" + recent + "\"}]");
    SegmentApi.syncEvents(shop, "[{\"customer_id\": 2, \"type\": \"cart_abandon\", \"occurred_at\": \"" + recent + "\"}]");
    as(shop, "analyst").get(SEGMENTS + "/" + abandoned + "/members").then().body("items.customer_id", contains(2));
    assertEquals(1, sql("SELECT count(*) FROM audience_event WHERE tenant_id = ?", shop));
    assertEquals(1, sql("SELECT count(*) FROM segment_membership_event WHERE tenant_id = ? AND segment_id = ?"
        + " AND type = 'segment.entered'", shop, abandoned));

    // a new profile entering through a sync
    SegmentApi.syncProfiles(shop, "[{\"customer_id\": 9, \"tags\": [\"vip\"]}]");
    as(shop, "analyst").get(SEGMENTS + "/" + vip + "/count").then().body("count", equalTo(3));
    as(shop, "analyst").queryParam("limit", 2).get(SEGMENTS + "/" + vip + "/members").then()
        .body("items.customer_id", contains(2, 3)).body("next_cursor", not(nullValue()));
  }

  @Test
  void refreshRecomputesTheWholeMembership() {
    String shop = audience();
    long vip = create(shop, VIP);
    // drift the stored membership behind the service's back; refresh repairs it and records the changes
    sql("WITH d AS (DELETE FROM segment_member WHERE tenant_id = ? AND customer_id = 1 RETURNING 1) SELECT count(*) FROM d",
        shop);
    as(shop, "marketer").post(SEGMENTS + "/" + vip + "/refresh").then().statusCode(200)
        .body("members", equalTo(2)).body("entered", equalTo(1)).body("exited", equalTo(0));
  }

  @Test
  void rejectsBadSyncItemsWithoutWritingAny() {
    String shop = InternalTokens.newTenant("shop-seg");
    as(shop, "integration").body("{\"profiles\": [{\"customer_id\": 1, \"city\": \"杭州\"},"
            + " {\"customer_id\": 2, \"phone\": \"138\"}, {\"customer_id\": -1}, {\"customer_id\": 3, \"p_alive\": \"x\"}]}")
        .post(SEGMENTS + "/profiles/sync")
        .then().statusCode(400)
        .body("errors.field", hasItem("profiles[1].phone"))
        .body("errors.field", hasItem("profiles[2].customer_id"))
        .body("errors.field", hasItem("profiles[3].p_alive"));
    as(shop, "integration").body("{\"events\": [{\"customer_id\": 1, \"type\": \"Cart Abandon\", \"occurred_at\": \"yesterday\"}]}")
        .post(SEGMENTS + "/events/sync")
        .then().statusCode(400)
        .body("errors.field", contains("events[0].type", "events[0].occurred_at"));
    assertEquals(0, sql("SELECT count(*) FROM audience_profile WHERE tenant_id = ?", shop));
  }

  @Test
  void rolesGuardWritesAndIngest() {
    String shop = audience();
    long id = create(shop, VIP);
    for (String role : new String[] {"analyst", "agent", "integration"}) {
      as(shop, role).body("{\"name\": \"x\", \"rule\": " + VIP + "}").post(SEGMENTS).then().statusCode(403)
          .contentType("application/problem+json");
      as(shop, role).body("{\"name\": \"x\", \"rule\": " + VIP + "}").put(SEGMENTS + "/" + id).then().statusCode(403);
      as(shop, role).delete(SEGMENTS + "/" + id).then().statusCode(403);
      as(shop, role).get(SEGMENTS + "/" + id + "/count").then().statusCode(200);
    }
    as(shop, "marketer").body("{\"profiles\": []}").post(SEGMENTS + "/profiles/sync").then().statusCode(403);
    as(shop, "analyst").body("{\"events\": []}").post(SEGMENTS + "/events/sync").then().statusCode(403);
    as(shop, "admin").body("{\"events\": []}").post(SEGMENTS + "/events/sync").then().statusCode(200);
    given().get(SEGMENTS + "/" + id + "/count").then().statusCode(401);
  }

  @Test
  void otherTenantSeesNothingOfTheSegmentOrItsAudience() {
    String shop = audience();
    long id = create(shop, VIP);
    String other = InternalTokens.newTenant("shop-other");
    as(other, "admin").get(SEGMENTS + "/" + id).then().statusCode(404);
    as(other, "admin").get(SEGMENTS + "/" + id + "/count").then().statusCode(404);
    as(other, "admin").get(SEGMENTS + "/" + id + "/preview").then().statusCode(404);
    as(other, "admin").get(SEGMENTS + "/" + id + "/members").then().statusCode(404);
    as(other, "admin").post(SEGMENTS + "/" + id + "/refresh").then().statusCode(404);
    as(other, "admin").body("{\"name\":\"x\",\"rule\":" + VIP + "}").put(SEGMENTS + "/" + id).then().statusCode(404);
    as(other, "admin").body("{\"name\":\"x\"}").patch(SEGMENTS + "/" + id).then().statusCode(404);
    as(other, "admin").delete(SEGMENTS + "/" + id).then().statusCode(404);
    as(other, "admin").get(SEGMENTS).then().statusCode(200).body("items", hasSize(0));
    as(other, "admin").body("{\"rule\": " + VIP + "}").post(SEGMENTS + "/preview").then().body("count", equalTo(0));
    as(other, "admin").body("{\"rule\": {\"field\":\"segment\",\"op\":\"in\",\"value\":[" + id + "]}}")
        .post(SEGMENTS + "/validate").then().body("valid", equalTo(false));
    // the other tenant's sync of the same customer ids touches only its own rows
    SegmentApi.syncProfiles(other, "[{\"customer_id\": 1, \"tags\": []}]");
    assertEquals(2, SegmentApi.count(shop, id));
    assertEquals(1, sql("SELECT count(*) FROM audience_profile WHERE tenant_id = ?", other));
  }

  @Test
  void createWithTheSameIdempotencyKeyReturnsTheFirstSegment() {
    String shop = audience();
    String body = "{\"name\": \"VIPs\", \"rule\": " + VIP + "}";
    int first = as(shop, "marketer").header("Idempotency-Key", "seg-1").body(body).post(SEGMENTS)
        .then().statusCode(201).extract().path("id");
    as(shop, "marketer").header("Idempotency-Key", "seg-1").body(body).post(SEGMENTS)
        .then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(first));
    as(shop, "marketer").header("Idempotency-Key", "seg-1").body("{\"name\": \"other\", \"rule\": " + VIP + "}")
        .post(SEGMENTS).then().statusCode(422);
    assertEquals(1, sql("SELECT count(*) FROM segment WHERE tenant_id = ?", shop));
  }
}
