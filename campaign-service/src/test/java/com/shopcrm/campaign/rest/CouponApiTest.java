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
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.shopcrm.campaign.TestClock;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import com.shopcrm.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/coupons} against the real database: look-up, redemption with every refusal as a
 * problem that changes nothing, exactly once under concurrency, Idempotency-Key, roles, tenant
 * isolation, and the interplay with order events (one redemption rule, one conversion per order).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class CouponApiTest {

  static final String COUPONS = "/api/v1/coupons";

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

  /** A launched campaign's coupons (10 off, min_spend 50) by customer. */
  record Shop(String tenant, long campaign, Map<Long, String> coupons) {
    long owner(int i) {
      Iterator<Long> it = coupons.keySet().iterator();
      for (int k = 0; k < i; k++) {
        it.next();
      }
      return it.next();
    }

    String code(int i) {
      return coupons.get(owner(i));
    }
  }

  static Shop launched() {
    String shop = shopWithAudience();
    long id = create(shop, body(segment(shop, "t"), 0));
    launch(shop, id);
    return new Shop(shop, id, column("campaign_coupon", "code", shop, id));
  }

  static ValidatableResponse redeem(String shop, String code, long customer, String orderNo, String amount) {
    return as(shop, "integration").body("{\"customer_id\": %d, \"order_no\": \"%s\", \"order_amount\": %s}"
            .formatted(customer, orderNo, amount))
        .post(COUPONS + "/" + code + "/redeem").then().log().ifValidationFails();
  }

  /** "order_no|redeemed_at" of the coupon row ("|" when not redeemed). */
  static String state(String shop, String code) {
    try (Connection c = TestDatabase.get().connect(SegmentApi.DATABASE);
         PreparedStatement s = c.prepareStatement("SELECT coalesce(redeemed_order_no, '') || '|'"
             + " || coalesce(redeemed_at::text, '') FROM campaign_coupon WHERE tenant_id = ? AND code = ?")) {
      s.setString(1, shop);
      s.setString(2, code);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static long redeemedIn(String shop) {
    return sql("SELECT count(*) FROM campaign_coupon WHERE tenant_id = ? AND redeemed_at IS NOT NULL", shop);
  }

  static void problem(ValidatableResponse response, int status, String type) {
    response.statusCode(status).contentType("application/problem+json")
        .body("status", equalTo(status)).body("type", equalTo("https://shop-crm.dev/problems/" + type))
        .body("title", notNullValue()).body("detail", notNullValue());
  }

  // ---------------------------------------------------------------- look-up

  @Test
  void everyRoleSeesACouponOfItsShop() {
    Shop s = launched();
    long owner = s.owner(0);
    for (String role : List.of("admin", "marketer", "analyst", "agent", "integration")) {
      as(s.tenant(), role).get(COUPONS + "/" + s.code(0)).then().statusCode(200)
          .body("code", equalTo(s.code(0)))
          .body("campaign_id", equalTo((int) s.campaign()))
          .body("trigger_id", nullValue())
          .body("customer_id", equalTo((int) owner))
          .body("face_value", equalTo(10.0f))
          .body("min_spend", equalTo(50.0f))
          .body("status", equalTo("issued"))
          .body("redeemed_at", nullValue())
          .body("order_no", nullValue());
    }
  }

  @Test
  void unknownAndOtherShopsCodesAreNotFound() {
    Shop s = launched();
    problem(as(s.tenant(), "analyst").get(COUPONS + "/NO-SUCH-CODE").then(), 404, "not-found");
    String other = InternalTokens.newTenant("shop-cpn");
    problem(as(other, "admin").get(COUPONS + "/" + s.code(0)).then(), 404, "not-found");
    problem(redeem(other, s.code(0), s.owner(0), "x1", "100"), 404, "not-found");
    problem(redeem(s.tenant(), "NO-SUCH-CODE", s.owner(0), "x1", "100"), 404, "not-found");
    assertEquals("|", state(s.tenant(), s.code(0)), "another shop's redemption changed nothing");
    assertEquals(0, redeemedIn(s.tenant()));
  }

  @Test
  void triggerCouponsAreShownWithTheirTrigger() throws SQLException {
    String shop = InternalTokens.newTenant("shop-cpn");
    try (Connection c = TestDatabase.get().connect(SegmentApi.DATABASE);
         PreparedStatement s = c.prepareStatement("INSERT INTO campaign_coupon (tenant_id, code, trigger_id,"
             + " customer_id, occasion, face_value, min_spend) VALUES (?, 'T7-1-abc', 7, 1, '2031', 20, NULL)")) {
      s.setString(1, shop);
      s.executeUpdate();
    }
    as(shop, "agent").get(COUPONS + "/T7-1-abc").then().statusCode(200)
        .body("campaign_id", nullValue()).body("trigger_id", equalTo(7)).body("min_spend", nullValue());
    redeem(shop, "T7-1-abc", 1, "t-o1", "1").statusCode(200).body("status", equalTo("redeemed"));
  }

  // ---------------------------------------------------------------- redemption

  @Test
  void ownerRedeemsOnceAndTheSameOrderAgainIsAnIdempotentSuccess() {
    Shop s = launched();
    String code = s.code(0);
    long owner = s.owner(0);
    redeem(s.tenant(), code, owner, "o1", "50").statusCode(200)
        .body("code", equalTo(code)).body("status", equalTo("redeemed")).body("order_no", equalTo("o1"))
        .body("customer_id", equalTo((int) owner)).body("redeemed_at", notNullValue());
    String after = state(s.tenant(), code);
    assertEquals("o1", after.split("\\|")[0]);

    redeem(s.tenant(), code, owner, "o1", "80").statusCode(200).body("order_no", equalTo("o1"));
    assertEquals(after, state(s.tenant(), code), "redeeming again for the same order changes nothing");
    as(s.tenant(), "analyst").get(COUPONS + "/" + code).then().statusCode(200)
        .body("status", equalTo("redeemed")).body("order_no", equalTo("o1"));

    problem(redeem(s.tenant(), code, owner, "o2", "100"), 409, "coupon-already-redeemed");
    assertEquals(after, state(s.tenant(), code));
    assertEquals(1, redeemedIn(s.tenant()));
  }

  @Test
  void anotherCustomersRedemptionIsAConflictAndChangesNothing() {
    Shop s = launched();
    problem(redeem(s.tenant(), s.code(0), s.owner(1), "o1", "100"), 409, "coupon-not-owner");
    assertEquals("|", state(s.tenant(), s.code(0)));
    // the owner still can afterwards
    redeem(s.tenant(), s.code(0), s.owner(0), "o1", "100").statusCode(200);
  }

  @Test
  void anOrderBelowMinSpendIsUnprocessableAndChangesNothing() {
    Shop s = launched();
    problem(redeem(s.tenant(), s.code(0), s.owner(0), "o1", "49.99"), 422, "coupon-below-min-spend");
    assertEquals("|", state(s.tenant(), s.code(0)));
    assertEquals(0, redeemedIn(s.tenant()));
  }

  @Test
  void rejectsABadBodyListingEveryField() {
    Shop s = launched();
    String url = COUPONS + "/" + s.code(0) + "/redeem";
    as(s.tenant(), "integration").body("{\"order_amount\": -1, \"order_no\": \"\"}").post(url).then().statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItems("customer_id", "order_no", "order_amount"));
    as(s.tenant(), "integration").body("{\"customer_id\": 1, \"order_no\": \"o\", \"order_amount\": 5, \"x\": 1}")
        .post(url).then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("x"));
    as(s.tenant(), "integration").body("{\"customer_id\": \"one\", \"order_no\": \"o\", \"order_amount\": 5}")
        .post(url).then().statusCode(400).contentType("application/problem+json")
        .body("errors[0].field", equalTo("customer_id"));
    as(s.tenant(), "integration").body("{\"customer_id\": 1, \"order_no\": \"o\", \"order_amount\": \"5\"}")
        .post(url).then().statusCode(400).contentType("application/problem+json");
    as(s.tenant(), "integration").body("{\"customer_id\": 1, \"order_no\": \"%s\", \"order_amount\": 5}"
        .formatted("n".repeat(65))).post(url).then().statusCode(400).body("errors[0].field", equalTo("order_no"));
    as(s.tenant(), "integration").body("[]").post(url).then().statusCode(400).contentType("application/problem+json");
    assertEquals(0, redeemedIn(s.tenant()));
  }

  @Test
  void onlyAdminMarketerAndIntegrationRedeem() {
    Shop s = launched();
    String body = "{\"customer_id\": %d, \"order_no\": \"o1\", \"order_amount\": 100}".formatted(s.owner(0));
    for (String role : List.of("analyst", "agent")) {
      as(s.tenant(), role).body(body).post(COUPONS + "/" + s.code(0) + "/redeem").then().statusCode(403)
          .contentType("application/problem+json");
    }
    io.restassured.RestAssured.given().contentType("application/json").body(body)
        .post(COUPONS + "/" + s.code(0) + "/redeem").then().statusCode(401);
    assertEquals(0, redeemedIn(s.tenant()));
    for (String role : List.of("admin", "marketer")) {
      int i = role.equals("admin") ? 1 : 2;
      as(s.tenant(), role).body("{\"customer_id\": %d, \"order_no\": \"o-%s\", \"order_amount\": 100}"
          .formatted(s.owner(i), role)).post(COUPONS + "/" + s.code(i) + "/redeem").then().statusCode(200);
    }
    assertEquals(2, redeemedIn(s.tenant()));
  }

  @Test
  void anIdempotencyKeyReplaysTheFirstAnswer() {
    Shop s = launched();
    String body = "{\"customer_id\": %d, \"order_no\": \"o1\", \"order_amount\": 100}".formatted(s.owner(0));
    String key = UUID.randomUUID().toString();
    String url = COUPONS + "/" + s.code(0) + "/redeem";
    String first = as(s.tenant(), "integration").header("Idempotency-Key", key).body(body).post(url).then()
        .statusCode(200).extract().asString();
    String after = state(s.tenant(), s.code(0));
    clock.setTo(CampaignLifecycleTest.DAYTIME.plusSeconds(60));
    as(s.tenant(), "integration").header("Idempotency-Key", key).body(body).post(url).then().statusCode(200)
        .header("Idempotent-Replayed", "true").body(equalTo(first));
    assertEquals(after, state(s.tenant(), s.code(0)));
    problem(as(s.tenant(), "integration").header("Idempotency-Key", key)
        .body(body.replace("o1", "o2")).post(url).then(), 422, "idempotency-key-reused");
    assertEquals(after, state(s.tenant(), s.code(0)));
  }

  @Test
  void twoParallelRedemptionsOfOneCodeSucceedOnce() throws Exception {
    Shop s = launched();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 8; i++) {
        String code = s.code(i);
        long owner = s.owner(i);
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Integer>> calls = new ArrayList<>();
        for (String order : List.of("p" + i + "-a", "p" + i + "-b")) {
          calls.add(pool.submit(() -> {
            start.await();
            return redeem(s.tenant(), code, owner, order, "100").extract().statusCode();
          }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> call : calls) {
          statuses.add(call.get());
        }
        statuses.sort(null);
        assertEquals(List.of(200, 409), statuses, "code " + code);
        assertEquals(1, sql("SELECT count(*) FROM campaign_coupon WHERE tenant_id = ? AND code = ?"
            + " AND redeemed_order_no IN (?, ?)", s.tenant(), code, "p" + i + "-a", "p" + i + "-b"));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(8, redeemedIn(s.tenant()));
  }

  @Test
  void theOpenApiDocumentDescribesBothCalls() {
    io.restassured.RestAssured.given().get("/q/openapi?format=json").then().statusCode(200)
        .body("paths.'/api/v1/coupons/{code}'.get.responses.'404'", notNullValue())
        .body("paths.'/api/v1/coupons/{code}/redeem'.post.responses.'409'.description",
            org.hamcrest.Matchers.containsString("coupon-not-owner"))
        .body("paths.'/api/v1/coupons/{code}/redeem'.post.responses.'422'", notNullValue());
  }

  // ---------------------------------------------------------------- with order events

  @Test
  void anApiRedemptionAndTheOrdersEventCountOnce() {
    Shop s = launched();
    String code = s.code(0);
    long owner = s.owner(0);
    String day = "2031-03-05T10:00:00+08:00";
    redeem(s.tenant(), code, owner, "o1", "100").statusCode(200);
    String after = state(s.tenant(), code);

    // the same order's events: no failure, no second redemption, one conversion with its revenue
    CampaignAttributionTest.order(s.tenant(), "e1", "order.paid", owner, "o1", day, "100", code)
        .body("coupon_outcome", equalTo("redeemed")).body("conversions", equalTo(1));
    CampaignAttributionTest.order(s.tenant(), "e2", "order.completed", owner, "o1", day, "100", code)
        .body("coupon_outcome", equalTo("redeemed")).body("conversions", equalTo(0));
    assertEquals(after, state(s.tenant(), code));
    // another order carrying the code
    CampaignAttributionTest.order(s.tenant(), "e3", "order.paid", owner, "o2", day, "100", code)
        .body("coupon_outcome", equalTo("already_redeemed"));
    assertEquals(after, state(s.tenant(), code));

    assertEquals(1, sql("SELECT count(*) FROM campaign_conversion WHERE tenant_id = ? AND order_no = 'o1'",
        s.tenant()));
    as(s.tenant(), "analyst").get(CAMPAIGNS + "/" + s.campaign() + "/report").then().statusCode(200)
        .body("coupons.redeemed", equalTo(1)).body("coupons.redeemed_value", equalTo(10.0f))
        .body("revenue", equalTo(200.0f)); // o1 and o2, each once
  }

  @Test
  void aCodeRedeemedByAnOrderEventAnswersTheApiLikeAnyRedemption() {
    Shop s = launched();
    String code = s.code(0);
    long owner = s.owner(0);
    CampaignAttributionTest.order(s.tenant(), UUID.randomUUID().toString(), "order.paid", owner, "o1",
        "2031-03-05T10:00:00+08:00", "100", code).body("coupon_outcome", equalTo("redeemed"));
    String after = state(s.tenant(), code);
    redeem(s.tenant(), code, owner, "o1", "100").statusCode(200).body("order_no", equalTo("o1"));
    problem(redeem(s.tenant(), code, owner, "o9", "100"), 409, "coupon-already-redeemed");
    assertEquals(after, state(s.tenant(), code));
    assertNull(state(s.tenant(), "NO-SUCH-CODE"));
  }
}
