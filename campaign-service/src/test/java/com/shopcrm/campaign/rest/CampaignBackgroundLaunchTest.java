package com.shopcrm.campaign.rest;

import static com.shopcrm.campaign.rest.CampaignCalls.CAMPAIGNS;
import static com.shopcrm.campaign.rest.CampaignCalls.awaitLaunched;
import static com.shopcrm.campaign.rest.CampaignCalls.body;
import static com.shopcrm.campaign.rest.CampaignCalls.column;
import static com.shopcrm.campaign.rest.CampaignCalls.create;
import static com.shopcrm.campaign.rest.CampaignCalls.expectedArms;
import static com.shopcrm.campaign.rest.CampaignCalls.segment;
import static com.shopcrm.campaign.rest.CampaignCalls.shopWithAudience;
import static com.shopcrm.campaign.rest.SegmentApi.as;
import static com.shopcrm.campaign.rest.SegmentApi.sql;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.campaign.TestClock;
import com.shopcrm.campaign.service.CampaignService;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Launches of audiences above {@code crm.campaign.launch.inline-max} (5 here): 202 {@code launching}
 * at once, frozen in the background with the same arms, suppressions and messages as an inline
 * launch; a launch left {@code launching} by a stopped process is resumed; one that cannot run any
 * more goes back to draft with nothing written.
 */
@QuarkusTest
@TestProfile(CampaignBackgroundLaunchTest.SmallInlineLimit.class)
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class CampaignBackgroundLaunchTest {

  /** Audiences above 5 launch in the background; the resumer runs only when a test calls it. */
  public static class SmallInlineLimit implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("crm.campaign.launch.inline-max", "5", "crm.campaign.launch.resume-every", "off");
    }
  }

  @Inject
  TestClock clock;

  @Inject
  CampaignService campaigns;

  @BeforeEach
  void daytime() {
    clock.setTo(CampaignLifecycleTest.DAYTIME);
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void largeAudienceAnswersLaunchingAtOnceAndIsFrozenInTheBackground() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t"), 20));
    as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/launch").then().statusCode(202)
        .body("id", equalTo((int) id)).body("status", equalTo("launching")).body("audience", nullValue());

    awaitLaunched(shop, id);
    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().body("launched_at", notNullValue());
    assertFrozenLikeAnInlineLaunch(shop, id);
    as(shop, "analyst").get(CAMPAIGNS + "/" + id + "/report").then().statusCode(200)
        .body("audience", equalTo(40)).body("suppressed.consent", equalTo(1));
    as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/launch").then().statusCode(409);
  }

  @Test
  void smallAudienceStillLaunchesInTheRequest() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "c4"), 0)); // one customer
    as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/launch").then().statusCode(202)
        .body("status", equalTo("launched")).body("audience", equalTo(1)).body("messages_queued", equalTo(1))
        .body("coupons_issued", equalTo(1));
  }

  @Test
  void launchLeftLaunchingByAStoppedProcessIsResumedAndCannotBeChangedMeanwhile() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t"), 20));
    markLaunching(shop, id); // what a process that stopped mid-launch leaves: nothing written yet
    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().body("status", equalTo("launching"));
    as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/launch").then().statusCode(409)
        .contentType("application/problem+json");
    as(shop, "marketer").body("{\"name\": \"late\"}").patch(CAMPAIGNS + "/" + id).then().statusCode(409);
    String other = InternalTokens.newTenant("shop-cmp");
    as(other, "admin").get(CAMPAIGNS + "/" + id).then().statusCode(404);

    campaigns.resumeLaunches().await().atMost(Duration.ofSeconds(30));

    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().body("status", equalTo("launched")).body("name", equalTo("spring"));
    assertFrozenLikeAnInlineLaunch(shop, id);
    campaigns.resumeLaunches().await().atMost(Duration.ofSeconds(30)); // nothing left: nothing written twice
    assertEquals(40, sql("SELECT count(*) FROM campaign_recipient WHERE tenant_id = ? AND campaign_id = ?", shop, id));
  }

  @Test
  void launchThatCannotRunAnyMoreGoesBackToDraftWithNothingWritten() {
    String shop = shopWithAudience();
    long segment = segment(shop, "t");
    long id = create(shop, body(segment, 20));
    markLaunching(shop, id);
    as(shop, "marketer").delete(SegmentApi.SEGMENTS + "/" + segment).then().statusCode(204);

    campaigns.resumeLaunches().await().atMost(Duration.ofSeconds(30));

    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().body("status", equalTo("draft"));
    assertEquals(0, sql("SELECT count(*) FROM campaign_recipient WHERE tenant_id = ?", shop));
    assertEquals(0, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ?", shop));
    assertEquals(0, sql("SELECT count(*) FROM campaign_coupon WHERE tenant_id = ?", shop));
  }

  /** Arms by md5, the opted-out customer suppressed, one SMS and one coupon per kept variant recipient. */
  private static void assertFrozenLikeAnInlineLaunch(String shop, long id) {
    Map<Long, String> expected = expectedArms(id, 20);
    assertEquals(expected, column("campaign_recipient", "arm", shop, id), "arms follow md5(campaign:customer)");
    assertEquals("consent", column("campaign_recipient", "coalesce(suppressed_reason, '-')", shop, id).get(2L));
    Map<Long, String> messaged = new LinkedHashMap<>();
    expected.forEach((customer, arm) -> {
      if (!arm.equals("control") && customer != 2) {
        messaged.put(customer, arm);
      }
    });
    assertEquals(messaged, column("campaign_message", "arm", shop, id), "one SMS per kept variant recipient");
    Map<Long, String> coupons = column("campaign_coupon", "code", shop, id);
    assertEquals(messaged.keySet(), coupons.keySet(), "a coupon per messaged recipient");
    Map<Long, String> bodies = column("campaign_message", "body", shop, id);
    messaged.forEach((customer, arm) -> {
      assertTrue(bodies.get(customer).endsWith(" 回T退订"));
      if (arm.equals("a")) {
        assertTrue(bodies.get(customer).contains(coupons.get(customer)), bodies.get(customer));
      }
    });
  }

  private static void markLaunching(String shop, long id) {
    assertEquals(1, sql("WITH u AS (UPDATE campaign SET status = 'launching' WHERE tenant_id = ? AND id = ?"
        + " RETURNING 1) SELECT count(*) FROM u", shop, id));
  }
}
