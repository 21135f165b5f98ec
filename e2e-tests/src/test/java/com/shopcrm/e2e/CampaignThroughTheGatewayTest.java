package com.shopcrm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A campaign from end to end through the gateway, every service real: customers (with an opt-out)
 * and their orders go in, a scoring run scores them, customer-service and scoring-service feed
 * campaign-service's audience read model, a segment over tags AND scores counts them, a campaign
 * with two variants and a 20% control group launches, the local sink receives the messages (not
 * for the opted-out or the capped customers), orders carrying the coupon codes come back through
 * order-service's events, and the report shows the right conversions per arm, coupon redemptions,
 * cost and ROI.
 */
@ExtendWith(PlatformExtension.class)
class CampaignThroughTheGatewayTest {

  private static final int CUSTOMERS = 60;
  private static final Pattern COUPON = Pattern.compile("C\\d+-[0-9A-F]+-[0-9A-Z]+");

  private final E2ePlatform platform;

  CampaignThroughTheGatewayTest(E2ePlatform platform) {
    this.platform = platform;
  }

  @Test
  void segmentCampaignWithControlGroupDeliversRedeemsAndReportsPerArm() {
    E2ePlatform.TenantKey shop = platform.newTenant("campaign");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      List<String> tags = i < 2 ? List.of("spring", "capped") : List.of("spring");
      ids.add(platform.as(shop).body(Map.of("external_id", "cmp-" + i, "name", "买家" + i,
              "phone", "1380000" + String.format("%04d", i), "tags", tags))
          .post("/api/v1/customers").then().statusCode(201).extract().jsonPath().getLong("id"));
      // one completed order each, two months ago: every customer is a scored buyer
      platform.as(shop).body(Map.of("order_no", "OLD-" + i, "customer_external_id", "cmp-" + i,
              "ordered_at", "2026-09-1" + (i % 10) + "T10:00:00+08:00", "total_amount", 100 + i,
              "status", "completed"))
          .post("/api/v1/orders").then().statusCode(201);
    }
    Set<Long> optedOut = Set.of(ids.get(10), ids.get(11), ids.get(12));
    for (long id : optedOut) {
      platform.as(shop).body(Map.of("channel", "sms", "granted", false, "source", "回T退订"))
          .put("/api/v1/customers/{id}/consent", id).then().statusCode(200);
    }
    Set<Long> capped = Set.of(ids.get(0), ids.get(1));

    // scores: a full run, then (pushed by scoring-service) every customer has a lifecycle stage in
    // campaign-service's read model, and (pushed by customer-service) its tags and consent
    awaitRunCompleted(shop, platform.as(shop).body(Map.of()).post("/api/v1/scoring/runs")
        .then().statusCode(202).extract().jsonPath().getString("id"));
    long spring = platform.as(shop).body(Map.of("name", "spring buyers", "rule", Map.of("all", List.of(
            Map.of("field", "tags", "op", "contains", "value", "spring"),
            Map.of("field", "lifecycle_stage", "op", "in", "value", List.of("new", "active", "at_risk")),
            Map.of("field", "frequency", "op", "gte", "value", 0)))))
        .post("/api/v1/segments").then().statusCode(201).extract().jsonPath().getLong("id");
    long cappedSegment = platform.as(shop).body(Map.of("name", "capped", "rule",
            Map.of("field", "tags", "op", "contains", "value", "capped")))
        .post("/api/v1/segments").then().statusCode(201).extract().jsonPath().getLong("id");
    platform.await("the read model holds every scored customer", () -> platform.as(shop).get("/api/v1/segments/{id}/count", spring),
        c -> c.getLong("count") == CUSTOMERS, 60_000);

    // the frequency cap: the two "capped" customers already got 3 messages this week
    for (int i = 0; i < 3; i++) {
      long warmUp = createCampaign(shop, "warm-up " + i, cappedSegment, 0);
      launch(shop, warmUp);
    }

    long campaign = createCampaign(shop, "spring sale", spring, 20);
    JsonPath launched = launch(shop, campaign);
    assertEquals(CUSTOMERS, launched.getInt("audience"), launched.prettify());
    JsonPath report = report(shop, campaign);
    assertEquals(3, report.getInt("suppressed.consent"), report.prettify());
    assertEquals(2, report.getInt("suppressed.frequency_cap"), report.prettify());
    assertEquals(0, report.getInt("suppressed.quiet_hours"), report.prettify());
    int control = report.getInt("control.recipients");
    int kept = report.getList("arms.recipients", Integer.class).stream().mapToInt(Integer::intValue).sum();
    assertEquals(CUSTOMERS - 5, kept + control, report.prettify());
    assertTrue(control >= 4 && control <= 20, "about 20% control: " + control);

    // the local sink receives one SMS per variant recipient, none for opted-out, capped or control
    Map<Long, String> coupons = awaitMessages(shop, campaign, kept);
    assertEquals(kept, coupons.size());
    for (long id : optedOut) {
      assertFalse(coupons.containsKey(id), "opted-out customer " + id + " was messaged");
    }
    for (long id : capped) {
      assertFalse(coupons.containsKey(id), "capped customer " + id + " was messaged");
    }
    Map<Long, String> arms = new HashMap<>();
    JsonPath messages = platform.as(shop).queryParam("limit", 1000).get("/api/v1/campaigns/{id}/messages", campaign)
        .then().statusCode(200).extract().jsonPath();
    for (Map<String, Object> m : messages.<Map<String, Object>>getList("items")) {
      arms.put(((Number) m.get("customer_id")).longValue(), (String) m.get("arm"));
    }
    List<Long> armA = new ArrayList<>();
    List<Long> armB = new ArrayList<>();
    arms.forEach((customer, arm) -> (arm.equals("a") ? armA : armB).add(customer));
    Set<Long> controlMembers = new HashSet<>(ids);
    controlMembers.removeAll(arms.keySet());
    controlMembers.removeAll(optedOut);
    controlMembers.removeAll(capped);
    assertEquals(control, controlMembers.size());

    // orders come back: 3 of arm a and 2 of arm b with their coupons, 1 control customer without;
    // one coupon used twice and one used by another customer are refused (exactly once, owner only)
    int orderNo = 0;
    BigDecimal revenue = BigDecimal.ZERO;
    int redeemed = 0;
    for (List<Long> arm : List.of(armA.subList(0, 3), armB.subList(0, 2))) {
      for (long customer : arm) {
        order(shop, "NEW-" + orderNo++, ids.indexOf(customer), 200, coupons.get(customer));
        revenue = revenue.add(BigDecimal.valueOf(200));
        redeemed++;
      }
    }
    long reuser = armA.get(0);
    order(shop, "NEW-" + orderNo++, ids.indexOf(reuser), 150, coupons.get(reuser));
    revenue = revenue.add(BigDecimal.valueOf(150)); // a second order of a converted customer: revenue, no coupon
    long stranger = controlMembers.iterator().next();
    order(shop, "NEW-" + orderNo++, ids.indexOf(stranger), 120, coupons.get(armB.get(0)));

    int redeemedCoupons = redeemed;
    JsonPath finalReport = platform.await("conversions attributed", () -> platform.as(shop).get("/api/v1/campaigns/{id}/report",
        campaign), r -> r.getInt("coupons.redeemed") == redeemedCoupons && r.getInt("control.conversions") == 1
            && r.getList("arms.conversions", Integer.class).stream().mapToInt(Integer::intValue).sum() == 5, 30_000);
    Map<String, Integer> conversions = new HashMap<>();
    Map<String, BigDecimal> armRevenue = new HashMap<>();
    int sent = 0;
    for (Map<String, Object> arm : finalReport.<Map<String, Object>>getList("arms")) {
      conversions.put((String) arm.get("name"), ((Number) arm.get("conversions")).intValue());
      armRevenue.put((String) arm.get("name"), new BigDecimal(arm.get("revenue").toString()));
      sent += ((Number) arm.get("sent")).intValue();
    }
    assertEquals(Map.of("a", 3, "b", 2), conversions, finalReport.prettify());
    assertEquals(0, new BigDecimal("750").compareTo(armRevenue.get("a")), finalReport.prettify());
    assertEquals(0, new BigDecimal("400").compareTo(armRevenue.get("b")), finalReport.prettify());
    assertEquals(0, new BigDecimal("120").compareTo(new BigDecimal(finalReport.getString("control.revenue"))));
    assertEquals(kept, sent);
    // cost = SMS sent x 0.05 + face value of the redeemed coupons (10 each); roi = (revenue - cost) / cost
    BigDecimal cost = new BigDecimal("0.05").multiply(BigDecimal.valueOf(sent)).add(BigDecimal.valueOf(10L * redeemed));
    double roi = revenue.subtract(cost).divide(cost, 6, RoundingMode.HALF_UP).doubleValue();
    assertEquals(roi, finalReport.getDouble("roi"), 1e-3, finalReport.prettify());
    assertEquals(0, cost.compareTo(new BigDecimal(finalReport.getString("cost"))), finalReport.prettify());

    // another shop sees none of it
    E2ePlatform.TenantKey other = platform.newTenant("campaign-other");
    platform.as(other).get("/api/v1/campaigns/{id}/report", campaign).then().statusCode(404);
    platform.as(other).get("/api/v1/segments/{id}/count", spring).then().statusCode(404);
    platform.as(shop).post("/api/v1/campaigns/{id}/launch", campaign).then().statusCode(409)
        .contentType("application/problem+json");
  }

  /**
   * The new-product offer with the real scoring-service: buyers of tea get the new tea set, buyers of
   * scarves the new scarf (by the share of their purchases in the product's category), each message
   * filled from one bulk picks call per batch; the budget caps the messaged recipients.
   */
  @Test
  void newProductCampaignNamesTheNewArrivalEachBuyerIsLikeliestToBuyWithinItsBudget() {
    E2ePlatform.TenantKey shop = platform.newTenant("new-product");
    Map<Long, String> category = new HashMap<>();
    for (int i = 0; i < 12; i++) {
      String kind = i % 2 == 0 ? "tea" : "scarves";
      long id = platform.as(shop).body(Map.of("external_id", "np-" + i, "name", "顾客" + i,
              "phone", "1390000" + String.format("%04d", i), "tags", List.of("np")))
          .post("/api/v1/customers").then().statusCode(201).extract().jsonPath().getLong("id");
      category.put(id, kind);
      platform.as(shop).body(Map.of("order_no", "NP-" + i, "customer_external_id", "np-" + i,
              "ordered_at", "2026-09-0" + (1 + i % 9) + "T10:00:00+08:00", "total_amount", 88, "status", "completed",
              "items", List.of(Map.of("sku", kind.toUpperCase() + "-OLD", "product_name", "旧款" + kind,
                  "category", kind, "quantity", 1, "unit_price", 88))))
          .post("/api/v1/orders").then().statusCode(201);
    }
    awaitRunCompleted(shop, platform.as(shop).body(Map.of()).post("/api/v1/scoring/runs")
        .then().statusCode(202).extract().jsonPath().getString("id"));
    long segment = platform.as(shop).body(Map.of("name", "np buyers", "rule", Map.of("all", List.of(
            Map.of("field", "tags", "op", "contains", "value", "np"),
            Map.of("field", "frequency", "op", "gte", "value", 0)))))
        .post("/api/v1/segments").then().statusCode(201).extract().jsonPath().getLong("id");
    platform.await("the read model holds every scored customer", () -> platform.as(shop).get("/api/v1/segments/{id}/count",
        segment), c -> c.getLong("count") == 12, 60_000);

    long campaign = platform.as(shop).body(Map.of("name", "new in", "goal", "other", "segment_id", segment,
            "channels", List.of("sms"),
            "variants", List.of(Map.of("name", "a", "weight", 1, "message", Map.of("sms", "{name}，新品推荐：{product}"))),
            "control_pct", 0, "attribution_window_days", 14,
            "offer", Map.of("type", "new_product", "products", List.of(
                Map.of("sku", "TEA-NEW", "name", "新茶具", "category", "tea"),
                Map.of("sku", "SCARF-NEW", "name", "新丝巾", "category", "scarves"))),
            "cost_per_message", Map.of("sms", 0.5), "budget", 5))
        .post("/api/v1/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
    JsonPath launched = launch(shop, campaign);
    assertEquals(12, launched.getInt("audience"), launched.prettify());
    assertEquals(2, launched.getInt("suppressed.budget"), "5 CNY buys 10 SMS at 0.5: " + launched.prettify());
    assertEquals(0, new BigDecimal("5.00").compareTo(new BigDecimal(launched.getString("committed_cost"))));

    JsonPath page = platform.await("messages with their products in the local sink", () -> platform.as(shop)
        .queryParam("limit", 1000).get("/api/v1/campaigns/{id}/messages", campaign),
        p -> p.getList("items").size() == 10, 30_000);
    for (Map<String, Object> m : page.<Map<String, Object>>getList("items")) {
      long customer = ((Number) m.get("customer_id")).longValue();
      String expected = category.get(customer).equals("tea") ? "新茶具" : "新丝巾";
      assertTrue(((String) m.get("body")).contains("新品推荐：" + expected + " 回T退订"), m.get("body") + " for "
          + category.get(customer));
    }
  }

  private long createCampaign(E2ePlatform.TenantKey shop, String name, long segment, int controlPct) {
    return platform.as(shop).body(Map.of("name", name, "goal", "repurchase", "segment_id", segment,
            "channels", List.of("sms"),
            "variants", List.of(
                Map.of("name", "a", "weight", 1, "message", Map.of("sms", "{name}，春季专享券 {coupon}")),
                Map.of("name", "b", "weight", 1, "message", Map.of("sms", "{name}，满50减10：{coupon}"))),
            "control_pct", controlPct, "attribution_window_days", 30,
            "offer", Map.of("type", "coupon", "amount", 10, "min_spend", 50),
            "cost_per_message", Map.of("sms", 0.05)))
        .post("/api/v1/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
  }

  /** Launches and waits until the audience is frozen (the launch may finish in the background). */
  private JsonPath launch(E2ePlatform.TenantKey shop, long campaign) {
    platform.as(shop).post("/api/v1/campaigns/{id}/launch", campaign).then().statusCode(202);
    platform.await("launched", () -> platform.as(shop).get("/api/v1/campaigns/{id}", campaign),
        c -> c.getString("status").equals("launched"), 30_000);
    return report(shop, campaign);
  }

  private JsonPath report(E2ePlatform.TenantKey shop, long campaign) {
    return platform.as(shop).get("/api/v1/campaigns/{id}/report", campaign).then().statusCode(200)
        .extract().jsonPath();
  }

  private void order(E2ePlatform.TenantKey shop, String orderNo, int customer, int amount, String coupon) {
    platform.as(shop).body(Map.of("order_no", orderNo, "customer_external_id", "cmp-" + customer,
            "ordered_at", java.time.OffsetDateTime.now().toString(), "total_amount", amount, "status", "completed",
            "coupon_code", coupon))
        .post("/api/v1/orders").then().statusCode(201);
  }

  /** customer id → the coupon code in its message, once the dispatcher has sent {@code expected} messages. */
  private Map<Long, String> awaitMessages(E2ePlatform.TenantKey shop, long campaign, int expected) {
    JsonPath page = platform.await("messages in the local sink", () -> platform.as(shop).queryParam("limit", 1000)
        .get("/api/v1/campaigns/{id}/messages", campaign), p -> p.getList("items").size() == expected, 30_000);
    Map<Long, String> coupons = new HashMap<>();
    for (Map<String, Object> m : page.<Map<String, Object>>getList("items")) {
      Matcher code = COUPON.matcher((String) m.get("body"));
      assertTrue(code.find(), "no coupon in " + m.get("body"));
      assertTrue(((String) m.get("body")).endsWith("回T退订"), (String) m.get("body"));
      // personalised with the customer's name (an order without a buyer name never renamed anyone)
      assertTrue(((String) m.get("body")).startsWith("买家"), (String) m.get("body"));
      coupons.put(((Number) m.get("customer_id")).longValue(), code.group());
    }
    return coupons;
  }

  private void awaitRunCompleted(E2ePlatform.TenantKey shop, String run) {
    platform.await("scoring run completed", () -> platform.as(shop).get("/api/v1/scoring/runs/{id}", run),
        r -> {
          if (r.getString("status").equals("failed")) {
            fail("scoring run failed: " + r.prettify());
          }
          return r.getString("status").equals("completed");
        }, 60_000);
  }
}
