package com.shopcrm.campaign.rest;

import static com.shopcrm.campaign.rest.SegmentApi.as;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.campaign.service.ArmAssignment;
import com.shopcrm.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Campaign set-ups shared by the campaign tests. */
final class CampaignCalls {

  static final String CAMPAIGNS = "/api/v1/campaigns";

  private CampaignCalls() {
  }

  /** 40 customers tagged "t" named C1..C40; customer 2 opted out of SMS; customer 4 also tagged "c4". */
  static String shopWithAudience() {
    String shop = com.shopcrm.testing.InternalTokens.newTenant("shop-cmp");
    StringBuilder profiles = new StringBuilder("[");
    for (int c = 1; c <= 40; c++) {
      profiles.append(c == 1 ? "" : ",").append("{\"customer_id\": ").append(c).append(", \"name\": \"C").append(c)
          .append("\", \"tags\": [\"t\"").append(c == 4 ? ", \"c4\"" : "").append("]")
          .append(c == 2 ? ", \"consent_sms\": false" : "").append("}");
    }
    SegmentApi.syncProfiles(shop, profiles.append("]").toString());
    return shop;
  }

  static long segment(String shop, String tag) {
    return SegmentApi.create(shop, "{\"field\":\"tags\",\"op\":\"contains\",\"value\":\"" + tag + "\"}");
  }

  /** An SMS campaign with variants a/b (1:1), the given control share, a 10 CNY coupon, 0.05 per SMS. */
  static String body(long segment, int controlPct) {
    return """
        {"name": "spring", "goal": "repurchase", "segment_id": %d, "channels": ["sms"],
         "variants": [{"name": "a", "weight": 1, "message": {"sms": "{name}, 10 off: {coupon}"}},
                      {"name": "b", "weight": 1, "message": {"sms": "Hi {name}, come back"}}],
         "control_pct": %d, "attribution_window_days": 30,
         "offer": {"type": "coupon", "amount": 10, "min_spend": 50},
         "cost_per_message": {"sms": 0.05}}""".formatted(segment, controlPct);
  }

  static long create(String shop, String body) {
    return as(shop, "marketer").body(body).post(CAMPAIGNS).then().log().ifValidationFails().statusCode(201)
        .extract().jsonPath().getLong("id");
  }

  static void launch(String shop, long campaign) {
    as(shop, "marketer").post(CAMPAIGNS + "/" + campaign + "/launch").then().log().ifValidationFails().statusCode(202);
  }

  /** Waits (up to 30 s) until a campaign launched in the background is {@code launched}. */
  static void awaitLaunched(String shop, long id) {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!"launched".equals(as(shop, "analyst").get(CAMPAIGNS + "/" + id).then().statusCode(200)
        .extract().jsonPath().getString("status"))) {
      assertTrue(Instant.now().isBefore(deadline), "campaign " + id + " not launched within 30 s");
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** The arm each customer 1..40 must get (customers 2 and 4 are suppressed, but still assigned). */
  static Map<Long, String> expectedArms(long campaign, int controlPct) {
    Map<Long, String> arms = new LinkedHashMap<>();
    for (long c = 1; c <= 40; c++) {
      arms.put(c, ArmAssignment.arm(campaign, c, controlPct, List.of("a", "b"), List.of(1, 1)));
    }
    return arms;
  }

  /** customer_id -> text of one column, for the campaign's rows of a table. */
  static Map<Long, String> column(String table, String column, String tenant, long campaign) {
    Map<Long, String> map = new LinkedHashMap<>();
    try (Connection c = TestDatabase.get().connect(SegmentApi.DATABASE);
         PreparedStatement s = c.prepareStatement("SELECT customer_id, " + column + "::text FROM " + table
             + " WHERE tenant_id = ? AND campaign_id = ? ORDER BY customer_id")) {
      s.setString(1, tenant);
      s.setLong(2, campaign);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          map.put(rs.getLong(1), rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return map;
  }
}
