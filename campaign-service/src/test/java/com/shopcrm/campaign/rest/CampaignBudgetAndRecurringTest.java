package com.shopcrm.campaign.rest;

import static com.shopcrm.campaign.rest.CampaignCalls.CAMPAIGNS;
import static com.shopcrm.campaign.rest.CampaignCalls.awaitLaunched;
import static com.shopcrm.campaign.rest.CampaignCalls.body;
import static com.shopcrm.campaign.rest.CampaignCalls.column;
import static com.shopcrm.campaign.rest.CampaignCalls.create;
import static com.shopcrm.campaign.rest.CampaignCalls.launch;
import static com.shopcrm.campaign.rest.CampaignCalls.segment;
import static com.shopcrm.campaign.rest.CampaignCalls.shopWithAudience;
import static com.shopcrm.campaign.rest.SegmentApi.as;
import static com.shopcrm.campaign.rest.SegmentApi.sql;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.campaign.TestClock;
import com.shopcrm.campaign.service.ArmAssignment;
import com.shopcrm.campaign.service.CampaignService;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Budgets (recipients beyond the budget suppressed, never overspent, the arms kept comparable) and
 * recurring campaigns (runs on the calendar, stable arms, new members only, max_runs / budget / stop
 * end them), with an injected clock; tenants.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class CampaignBudgetAndRecurringTest {

  /** One SMS at 0.05 plus a 10 CNY coupon: what each messaged recipient may cost. */
  static final BigDecimal PER_RECIPIENT = new BigDecimal("10.05");

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
  void budgetKeepsARandomPrefixOfTheAudienceWithinItAndNeverOverspends() {
    String shop = shopWithAudience();
    BigDecimal budget = new BigDecimal("100.50"); // 10 recipients at 10.05
    long id = create(shop, withBudget(body(segment(shop, "t"), 20), budget));

    JsonPath launched = as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/launch").then().statusCode(202)
        .body("status", equalTo("launched")).extract().jsonPath();

    // expected: members in md5("budget:<campaign>:<customer>") order; variant members not suppressed
    // otherwise cost 10.05 each; the first whose running cost passes the budget and all after it are cut
    Map<Long, String> arms = CampaignCalls.expectedArms(id, 20);
    List<Long> order = new ArrayList<>(arms.keySet());
    order.sort((x, y) -> md5("budget:" + id + ":" + x).compareTo(md5("budget:" + id + ":" + y)));
    Map<Long, String> expected = new LinkedHashMap<>();
    BigDecimal running = BigDecimal.ZERO;
    long kept = 0;
    for (long customer : order) {
      boolean costs = !arms.get(customer).equals("control") && customer != 2; // 2 opted out of SMS
      running = running.add(costs ? PER_RECIPIENT : BigDecimal.ZERO);
      String reason = customer == 2 ? "consent" : running.compareTo(budget) > 0 ? "budget" : "-";
      expected.put(customer, reason);
      kept += costs && reason.equals("-") ? 1 : 0;
    }
    assertEquals(10, kept, "the budget buys exactly 10 recipients");
    Map<Long, String> reasons = column("campaign_recipient", "coalesce(suppressed_reason, '-')", shop, id);
    assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(reasons));
    assertTrue(reasons.entrySet().stream().anyMatch(e -> e.getValue().equals("budget")
        && arms.get(e.getKey()).equals("control")), "control members beyond the budget are cut too");

    assertEquals(kept, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND campaign_id = ?", shop, id));
    assertEquals(kept, sql("SELECT count(*) FROM campaign_coupon WHERE tenant_id = ? AND campaign_id = ?", shop, id));
    BigDecimal committed = PER_RECIPIENT.multiply(BigDecimal.valueOf(kept));
    assertEquals(0, committed.compareTo(launched.getObject("committed_cost", BigDecimal.class)));
    long overBudget = expected.values().stream().filter("budget"::equals).count();
    assertEquals(overBudget, launched.getLong("suppressed.budget"));
    as(shop, "analyst").get(CAMPAIGNS + "/" + id + "/report").then().statusCode(200)
        .body("budget", equalTo(100.5f)).body("committed_cost", equalTo(committed.floatValue()))
        .body("suppressed.budget", equalTo((int) overBudget)).body("runs", equalTo(1));
    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().body("committed_cost", equalTo(committed.floatValue()));
  }

  @Test
  void withoutABudgetNobodyIsCutAndTheReservedSpendIsStillShown() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t"), 20));
    launch(shop, id);
    long messaged = sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND campaign_id = ?", shop, id);
    assertEquals(0, sql("SELECT count(*) FROM campaign_recipient WHERE tenant_id = ? AND suppressed_reason = 'budget'",
        shop));
    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then()
        .body("committed_cost", equalTo(PER_RECIPIENT.multiply(BigDecimal.valueOf(messaged)).floatValue()))
        .body("budget", nullValue());
  }

  @Test
  void recurringCampaignRunsOnItsCalendarWithStableArmsAndOnlyNewMembersThenCompletes() {
    String shop = shopWithAudience();
    Instant first = CampaignLifecycleTest.DAYTIME.plus(Duration.ofHours(1));
    long id = create(shop, recurring(body(segment(shop, "t"), 20),
        "\"every\": \"weekly\", \"at\": \"" + first + "\", \"max_runs\": 3, \"new_members_only\": true"));

    as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/launch").then().statusCode(202)
        .body("status", equalTo("scheduled")).body("send_at", equalTo("2031-03-03T03:00:00Z"))
        .body("audience", nullValue());
    as(shop, "marketer").body("{\"name\": \"late\"}").patch(CAMPAIGNS + "/" + id).then().statusCode(409);
    as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/launch").then().statusCode(409);
    assertEquals(0, runDue(), "not due before its first run");

    clock.setTo(first);
    assertEquals(1, runDue());
    assertEquals(0, runDue(), "a run starts once");
    long run1 = runId(shop, id, 0);
    awaitLaunched(shop, run1);
    as(shop, "analyst").get(CAMPAIGNS + "/" + run1).then().body("parent_id", equalTo((int) id))
        .body("run_no", equalTo(1)).body("name", equalTo("spring #1"));
    assertEquals(40, sql("SELECT count(*) FROM campaign_recipient WHERE tenant_id = ? AND campaign_id = ?", shop, run1));
    Map<Long, String> arms = column("campaign_recipient", "arm", shop, run1);
    arms.forEach((customer, arm) -> assertEquals(ArmAssignment.arm(id, customer, 20, List.of("a", "b"), List.of(1, 1)),
        arm, "arms are drawn from the recurring campaign's id"));
    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().body("status", equalTo("scheduled")).body("runs", equalTo(1))
        .body("next_run_at", equalTo("2031-03-10T03:00:00Z"));
    as(shop, "analyst").get(CAMPAIGNS).then().body("items.id", hasItems((int) id))
        .body("items.findAll { it.parent_id != null }", hasSize(0));

    // five new members join; a week later only they are in run 2, with the same arm rule (and customer 2, whom
    // no run reached yet: still opted out of SMS)
    StringBuilder joiners = new StringBuilder("[");
    for (int c = 41; c <= 45; c++) {
      joiners.append(c == 41 ? "" : ",").append("{\"customer_id\": ").append(c).append(", \"name\": \"C").append(c)
          .append("\", \"tags\": [\"t\"]}");
    }
    SegmentApi.syncProfiles(shop, joiners.append("]").toString());
    clock.setTo(first.plus(Duration.ofDays(7)));
    assertEquals(1, runDue());
    long run2 = runId(shop, id, 1);
    awaitLaunched(shop, run2);
    Map<Long, String> arms2 = column("campaign_recipient", "arm", shop, run2);
    assertEquals(List.of(2L, 41L, 42L, 43L, 44L, 45L), new ArrayList<>(arms2.keySet()));
    assertEquals("consent", column("campaign_recipient", "suppressed_reason", shop, run2).get(2L));
    arms2.forEach((customer, arm) -> assertEquals(ArmAssignment.arm(id, customer, 20, List.of("a", "b"),
        List.of(1, 1)), arm));

    // runs missed while nothing ran are not made up: the third run, then the end (max_runs 3)
    clock.setTo(first.plus(Duration.ofDays(30)));
    assertEquals(1, runDue());
    long run3 = runId(shop, id, 2);
    awaitLaunched(shop, run3);
    assertEquals(Map.of(2L, "consent"), column("campaign_recipient", "suppressed_reason", shop, run3));
    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().body("status", equalTo("completed"))
        .body("ended_reason", equalTo("max_runs")).body("runs", equalTo(3)).body("next_run_at", nullValue());
    clock.setTo(first.plus(Duration.ofDays(60)));
    assertEquals(0, runDue());

    long messages = sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ?", shop);
    long kept = sql("SELECT count(*) FROM campaign_recipient WHERE tenant_id = ? AND suppressed_reason IS NULL", shop);
    JsonPath report = as(shop, "analyst").get(CAMPAIGNS + "/" + id + "/report").then().statusCode(200)
        .body("runs", equalTo(3)).body("audience", equalTo(47)).body("suppressed.consent", equalTo(3))
        .extract().jsonPath();
    assertEquals(messages, sum(report.getList("arms.sent", Long.class)) + sum(report.getList("arms.queued", Long.class)));
    assertEquals(kept, sum(report.getList("arms.recipients", Long.class)) + report.getLong("control.recipients"),
        "each reached customer counted once");
    as(shop, "analyst").get(CAMPAIGNS + "/" + id + "/runs").then().statusCode(200)
        .body("items.run_no", equalTo(List.of(1, 2, 3)));
  }

  @Test
  void recurringBudgetSpansTheRunsAndEndsThemWhenSpent() {
    String shop = shopWithAudience();
    BigDecimal budget = PER_RECIPIENT.multiply(BigDecimal.valueOf(5));
    Instant first = CampaignLifecycleTest.DAYTIME.plus(Duration.ofHours(1));
    long id = create(shop, withBudget(recurring(body(segment(shop, "t"), 20),
        "\"every\": \"P1D\", \"at\": \"" + first + "\""), budget));
    launch(shop, id);
    clock.setTo(first);
    assertEquals(1, runDue());
    long run1 = runId(shop, id, 0);
    awaitLaunched(shop, run1);
    assertEquals(5, sql("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND campaign_id = ?", shop, run1));
    as(shop, "analyst").get(CAMPAIGNS + "/" + run1).then().body("committed_cost", equalTo(budget.floatValue()));

    clock.setTo(first.plus(Duration.ofDays(1)));
    assertEquals(0, runDue(), "nothing left to spend: no second run");
    as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().body("status", equalTo("completed"))
        .body("ended_reason", equalTo("budget")).body("runs", equalTo(1));
    as(shop, "analyst").get(CAMPAIGNS + "/" + id + "/report").then()
        .body("committed_cost", equalTo(budget.floatValue())).body("budget", equalTo(budget.floatValue()));
  }

  @Test
  void stopEndsARecurringCampaignAndOnlyThatOtherShopsSeeNothing() {
    String shop = shopWithAudience();
    long id = create(shop, recurring(body(segment(shop, "t"), 20), "\"every\": \"PT12H\""));
    as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/stop").then().statusCode(409)
        .contentType("application/problem+json");
    launch(shop, id);
    String other = InternalTokens.newTenant("shop-cmp");
    as(other, "admin").post(CAMPAIGNS + "/" + id + "/stop").then().statusCode(404);
    as(other, "admin").get(CAMPAIGNS + "/" + id + "/runs").then().statusCode(404);
    as(shop, "analyst").post(CAMPAIGNS + "/" + id + "/stop").then().statusCode(403);

    as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/stop").then().statusCode(200)
        .body("status", equalTo("stopped")).body("ended_reason", equalTo("stopped"));
    assertEquals(0, runDue());
    assertEquals(0, sql("SELECT count(*) FROM campaign WHERE tenant_id = ? AND parent_id = ?", shop, id));
    as(shop, "marketer").post(CAMPAIGNS + "/" + id + "/stop").then().statusCode(409);
  }

  @Test
  void rejectsBadSchedulesAndBudgetsListingEveryField() {
    String shop = shopWithAudience();
    long segment = segment(shop, "t");
    as(shop, "marketer").body(recurring(body(segment, 20), "\"max_runs\": 0")).post(CAMPAIGNS).then().statusCode(400)
        .contentType("application/problem+json").body("errors.field", hasItems("schedule.every", "schedule.max_runs"));
    as(shop, "marketer").body(recurring(body(segment, 20), "\"every\": \"PT10M\"")).post(CAMPAIGNS).then()
        .statusCode(400).body("errors.find { it.field == 'schedule.every' }.message", equalTo(
            "must be at least an hour (PT1H)"));
    as(shop, "marketer").body(recurring(body(segment, 20), "\"every\": \"fortnightly\"")).post(CAMPAIGNS).then()
        .statusCode(400).body("errors.field", hasItems("schedule.every"));
    as(shop, "marketer").body(recurring(body(segment, 20), "\"every\": \"P1D\", \"at\": \"2031-03-05T00:00:00Z\","
        + " \"until\": \"2031-03-04T00:00:00Z\"")).post(CAMPAIGNS).then().statusCode(400)
        .body("errors.field", hasItems("schedule.until"));
    as(shop, "marketer").body(body(segment, 20).replace("\"cost_per_message\"",
        "\"schedule\": {\"type\": \"now\", \"every\": \"P1D\"}, \"cost_per_message\"")).post(CAMPAIGNS).then()
        .statusCode(400).body("errors.field", hasItems("schedule.type"));
    as(shop, "marketer").body(withBudget(body(segment, 20), new BigDecimal("-1"))).post(CAMPAIGNS).then()
        .statusCode(400).body("errors.field", hasItems("budget"));
    assertEquals(0, sql("SELECT count(*) FROM campaign WHERE tenant_id = ?", shop));
  }

  private static long sum(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sum();
  }

  private int runDue() {
    return campaigns.runDue().await().atMost(Duration.ofSeconds(30));
  }

  private static long runId(String shop, long parent, int index) {
    return as(shop, "analyst").get(CAMPAIGNS + "/" + parent + "/runs").then().statusCode(200)
        .extract().jsonPath().getLong("items[" + index + "].id");
  }

  private static String withBudget(String body, BigDecimal budget) {
    return body.replace("\"cost_per_message\"", "\"budget\": " + budget.toPlainString() + ", \"cost_per_message\"");
  }

  private static String recurring(String body, String fields) {
    return body.replace("\"cost_per_message\"",
        "\"schedule\": {\"type\": \"recurring\", " + fields + "}, \"cost_per_message\"");
  }

  private static String md5(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
