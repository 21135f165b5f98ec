package com.shopcrm.scoring.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import com.shopcrm.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_scoring_test"))
class ScoreResourceTest {

  private static void insertScore(String tenant, long customerId, boolean withPredictions) throws Exception {
    try (Connection c = TestDatabase.get().connect("crm_scoring_test");
         PreparedStatement s = c.prepareStatement(
             "INSERT INTO customer_score (tenant_id, customer_id, recency_days, frequency, monetary,"
                 + " r_score, f_score, m_score, rfm_segment, lifecycle_stage, p_alive,"
                 + " expected_purchases_90d, predicted_clv_365d, historical_value, scored_at)"
                 + " VALUES (?, ?, 12, 3, 256.50, 5, 4, 3, 'important_value', 'active', ?, ?, ?, 1026.00,"
                 + " '2024-06-01T00:00:00Z')")) {
      s.setString(1, tenant);
      s.setLong(2, customerId);
      s.setObject(3, withPredictions ? 0.87 : null);
      s.setObject(4, withPredictions ? 1.25 : null);
      s.setObject(5, withPredictions ? new java.math.BigDecimal("640.10") : null, java.sql.Types.NUMERIC);
      s.executeUpdate();
    }
  }

  @Test
  void answersTheScoreWithEveryField() throws Exception {
    String shop = InternalTokens.newTenant("shop-a");
    insertScore(shop, 42, true);

    given().header("Authorization", InternalTokens.bearer(shop, "analyst"))
        .get("/api/v1/scores/42")
        .then().statusCode(200)
        .body("customer_id", equalTo(42))
        .body("recency_days", equalTo(12))
        .body("frequency", equalTo(3))
        .body("monetary", equalTo(256.50f))
        .body("r_score", equalTo(5))
        .body("f_score", equalTo(4))
        .body("m_score", equalTo(3))
        .body("rfm_segment", equalTo("important_value"))
        .body("lifecycle_stage", equalTo("active"))
        .body("p_alive", equalTo(0.87f))
        .body("expected_purchases_90d", equalTo(1.25f))
        .body("predicted_clv_365d", equalTo(640.10f))
        .body("historical_value", equalTo(1026.00f))
        .body("scored_at", notNullValue());
  }

  @Test
  void showsPredictionsAsNullBeforeAModelRun() throws Exception {
    String shop = InternalTokens.newTenant("shop-a");
    insertScore(shop, 7, false);

    given().header("Authorization", InternalTokens.bearer(shop, "analyst"))
        .get("/api/v1/scores/7")
        .then().statusCode(200)
        .body("rfm_segment", equalTo("important_value"))
        .body("p_alive", nullValue())
        .body("predicted_clv_365d", nullValue());
  }

  @Test
  void unscoredCustomerIsNotFound() {
    given().header("Authorization", InternalTokens.bearer(InternalTokens.newTenant("shop-a"), "analyst"))
        .get("/api/v1/scores/999999")
        .then().statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404));
  }

  @Test
  void otherTenantSeesNotFound() throws Exception {
    String shopA = InternalTokens.newTenant("shop-a");
    String shopB = InternalTokens.newTenant("shop-b");
    insertScore(shopA, 43, true);

    given().header("Authorization", InternalTokens.bearer(shopB, "admin"))
        .get("/api/v1/scores/43")
        .then().statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  void rejectsCallWithoutToken() {
    given().get("/api/v1/scores/42").then().statusCode(401);
  }
}
