package com.shopcrm.campaign.rest;

import static com.shopcrm.campaign.rest.SegmentApi.SEGMENTS;
import static com.shopcrm.campaign.rest.SegmentApi.as;
import static com.shopcrm.campaign.rest.SegmentApi.count;
import static com.shopcrm.campaign.rest.SegmentApi.create;
import static com.shopcrm.campaign.rest.SegmentApi.sql;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.campaign.TestClock;
import com.shopcrm.common.auth.InternalTokenIssuer;
import com.shopcrm.common.auth.PemKeys;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The internal export and erase customer-service calls (docs/PRIVACY.md) on the real database: the
 * read model, segments, recipients, messages and coupons exported; after an erase the profile is gone
 * from the read model for good and no message text names the customer, while the campaign report is
 * unchanged; a repeat changes nothing; another tenant's token changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class CampaignPrivacyTest {

  static final String EXPORT = "/api/v1/privacy/customers/export";
  static final String ERASE = "/api/v1/privacy/customers/erase";
  static final String TAGGED = "{\"field\":\"tags\",\"op\":\"contains\",\"value\":\"t\"}";
  static final InternalTokenIssuer SERVICE = new InternalTokenIssuer(
      PemKeys.readPrivateKey("classpath:crm-test-keys/privateKey.pem"), "crm-test", Duration.ofSeconds(60));

  @Inject
  TestClock clock;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  static RequestSpecification service(String tenant) {
    return given().contentType(ContentType.JSON).header("Authorization",
        "Bearer " + SERVICE.sign("service:customer-service", tenant, Set.of("integration")));
  }

  /** Customers 1 (张三, 杭州) and 2, both messaged by a launched SMS campaign with a coupon. */
  long[] shop(String shop) {
    clock.setTo(CampaignLifecycleTest.DAYTIME);
    SegmentApi.syncProfiles(shop, """
        [{"customer_id": 1, "name": "张三", "city": "杭州", "birthday": "1990-05-03", "tags": ["t"]},
         {"customer_id": 2, "name": "李四", "tags": ["t"]}]""");
    SegmentApi.syncEvents(shop, "[{\"customer_id\": 1, \"type\": \"view\", \"occurred_at\": \"2031-01-01T00:00:00Z\"}]");
    long segment = create(shop, TAGGED);
    long campaign = CampaignCalls.create(shop, CampaignCalls.body(segment, 0));
    CampaignCalls.launch(shop, campaign);
    assertEquals(1, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND customer_id = 1"
        + " AND body LIKE '%张三%'", shop));
    return new long[] {segment, campaign};
  }

  static final String CUSTOMER_1 = "{\"customer_ids\": [1]}";

  @Test
  void exportsReadModelSegmentsRecipientsMessagesAndCoupons() {
    String shop = InternalTokens.newTenant("privacy");
    long[] ids = shop(shop);
    service(shop).body(CUSTOMER_1).post(EXPORT).then().statusCode(200)
        .body("audience_profiles", hasSize(1))
        .body("audience_profiles[0].name", equalTo("张三"))
        .body("audience_events", hasSize(1))
        .body("segments[0].segment_id", equalTo((int) ids[0]))
        .body("campaign_recipients[0].campaign_id", equalTo((int) ids[1]))
        .body("campaign_recipients[0].campaign_name", equalTo("spring"))
        .body("campaign_messages", hasSize(1))
        .body("campaign_messages[0].body", org.hamcrest.Matchers.containsString("张三"))
        .body("coupons", hasSize(1))
        .body("audience_profiles[0].tenant_id", org.hamcrest.Matchers.nullValue());
  }

  @Test
  void eraseRemovesTheProfileAndMessageTextsKeepingReportsAndIsIdempotent() {
    String shop = InternalTokens.newTenant("privacy");
    long[] ids = shop(shop);
    int audience = as(shop, "analyst").get("/api/v1/campaigns/" + ids[1] + "/report").then().statusCode(200)
        .extract().jsonPath().getInt("audience");

    service(shop).body(CUSTOMER_1).post(ERASE).then().statusCode(200)
        .body("service", equalTo("campaign-service"))
        .body("profiles", equalTo(1)).body("messages", equalTo(1)).body("cancelled", equalTo(1));

    for (String table : new String[] {"audience_profile", "audience_event", "segment_member", "trigger_state"}) {
      assertEquals(0, sql("SELECT count(*) FROM " + table + " WHERE tenant_id = ? AND customer_id = 1", shop), table);
    }
    assertEquals(0, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND customer_id = 1"
        + " AND (body LIKE '%张三%' OR subject IS NOT NULL OR status = 'queued')", shop));
    assertEquals(0, sql("SELECT count(*) FROM sink_message WHERE tenant_id = ? AND body LIKE '%张三%'", shop));
    assertEquals(1, sql("SELECT count(*) FROM audience_removed WHERE tenant_id = ? AND customer_id = 1", shop));
    assertEquals(1, count(shop, ids[0]), "the segment no longer counts the customer");
    assertEquals(1, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND customer_id = 2"
        + " AND body LIKE '%李四%'", shop), "others keep theirs");
    as(shop, "analyst").get("/api/v1/campaigns/" + ids[1] + "/report").then().statusCode(200)
        .body("audience", equalTo(audience));

    // a later push (scoring keeps the anonymous orders) does not bring the profile back
    SegmentApi.syncProfiles(shop, "[{\"customer_id\": 1, \"name\": \"张三\"}]");
    assertEquals(0, sql("SELECT count(*) FROM audience_profile WHERE tenant_id = ? AND customer_id = 1", shop));

    service(shop).body(CUSTOMER_1).post(ERASE).then().statusCode(200)
        .body("profiles", equalTo(0)).body("messages", equalTo(0)).body("deliveries", equalTo(0))
        .body("cancelled", equalTo(0));
    service(shop).body(CUSTOMER_1).post(EXPORT).then().statusCode(200)
        .body("audience_profiles", hasSize(0)).body("segments", hasSize(0));
  }

  @Test
  void anotherTenantsTokenSeesAndChangesNothing() {
    String shop = InternalTokens.newTenant("privacy");
    shop(shop);
    String intruder = InternalTokens.newTenant("intruder");
    service(intruder).body(CUSTOMER_1).post(EXPORT).then().statusCode(200)
        .body("audience_profiles", hasSize(0)).body("campaign_messages", hasSize(0));
    service(intruder).body(CUSTOMER_1).post(ERASE).then().statusCode(200).body("messages", equalTo(0));
    assertEquals(1, sql("SELECT count(*) FROM audience_profile WHERE tenant_id = ? AND customer_id = 1", shop));
    assertEquals(1, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND customer_id = 1"
        + " AND body LIKE '%张三%' AND status = 'queued'", shop));
  }

  @Test
  void onlyServiceTokensMayCall() {
    String shop = InternalTokens.newTenant("privacy");
    as(shop, "integration").body(CUSTOMER_1).post(ERASE).then().statusCode(403)
        .contentType("application/problem+json");
    as(shop, "admin").body(CUSTOMER_1).post(EXPORT).then().statusCode(403);
    service(shop).body("{\"customer_ids\": [\"x\"]}").post(ERASE).then().statusCode(400);
    given().contentType(ContentType.JSON).body(CUSTOMER_1).post(SEGMENTS.replace("segments", "privacy/customers/erase"))
        .then().statusCode(401);
  }
}
