package com.shopcrm.scoring.rest;

import static com.shopcrm.scoring.rest.Api.as;
import static com.shopcrm.scoring.rest.Api.count;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.common.auth.InternalTokenIssuer;
import com.shopcrm.common.auth.PemKeys;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The internal export and erase customer-service calls (docs/PRIVACY.md) on the real database: scores
 * and purchase facts exported; after an erase no score, summary or fact names the customer while the
 * tenant's revenue stays; a repeat changes nothing; another tenant's token changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_scoring_test"))
class ScoringPrivacyTest {

  static final String EXPORT = "/api/v1/privacy/customers/export";
  static final String ERASE = "/api/v1/privacy/customers/erase";
  static final InternalTokenIssuer SERVICE = new InternalTokenIssuer(
      PemKeys.readPrivateKey("classpath:crm-test-keys/privateKey.pem"), "crm-test", Duration.ofSeconds(60));

  static RequestSpecification service(String tenant) {
    return given().contentType(ContentType.JSON).header("Authorization",
        "Bearer " + SERVICE.sign("service:customer-service", tenant, Set.of("integration")));
  }

  /** Customer 1 (buyer-1): three orders; customer 4 (buyer-4) two; all scored by a run. */
  static String scoredShop() {
    String shop = ScoringFlowTest.seed();
    Api.awaitRun(shop, Api.startRun(shop, "{\"as_of\": \"2024-07-01\"}"));
    assertEquals(1, count("SELECT count(*) FROM customer_score WHERE tenant_id = ? AND customer_id = 1", shop));
    return shop;
  }

  static final String CUSTOMER_1 = """
      {"customer_ids": [1], "identities": [{"platform": "own_site", "external_id": "buyer-1"}]}""";

  @Test
  void exportsScoresSummaryAndPurchaseFacts() {
    String shop = scoredShop();
    service(shop).body(CUSTOMER_1).post(EXPORT).then().statusCode(200)
        .body("scores", hasSize(1))
        .body("scores[0].customer_id", equalTo(1))
        .body("scores[0].frequency", equalTo(2))
        .body("purchase_summaries[0].purchase_days", equalTo(3))
        .body("purchase_facts", hasSize(3))
        .body("purchase_facts.order_no", org.hamcrest.Matchers.contains("O-1", "O-2", "O-3"))
        .body("purchase_facts[0].items[0].sku", equalTo("S"));
  }

  @Test
  void eraseRemovesScoresAndDetachesFactsKeepingRevenueAndIsIdempotent() {
    String shop = scoredShop();
    String revenue = Api.text("SELECT sum(value)::text FROM purchase_fact WHERE tenant_id = ?", shop);

    service(shop).body(CUSTOMER_1).post(ERASE).then().statusCode(200)
        .body("service", equalTo("scoring-service"))
        .body("scores", equalTo(1)).body("purchase_facts", equalTo(3));

    assertEquals(0, count("SELECT count(*) FROM customer_score WHERE tenant_id = ? AND customer_id = 1", shop));
    assertEquals(0, count("SELECT count(*) FROM customer_purchase_summary WHERE tenant_id = ? AND customer_id = 1",
        shop));
    assertEquals(0, count("SELECT count(*) FROM purchase_fact WHERE tenant_id = ?"
        + " AND (customer_id = 1 OR customer_external_id = 'buyer-1')", shop));
    assertEquals(revenue, Api.text("SELECT sum(value)::text FROM purchase_fact WHERE tenant_id = ?", shop),
        "the orders stay in the tenant's figures, anonymous");
    assertEquals(1, count("SELECT count(*) FROM customer_score WHERE tenant_id = ? AND customer_id = 4", shop),
        "other customers keep their scores");
    as(shop, "admin").get(Api.SCORES + "/1").then().statusCode(404);
    service(shop).body(CUSTOMER_1).post(EXPORT).then().statusCode(200)
        .body("scores", hasSize(0)).body("purchase_facts", hasSize(0));

    service(shop).body(CUSTOMER_1).post(ERASE).then().statusCode(200)
        .body("scores", equalTo(0)).body("purchase_facts", equalTo(0)).body("pending_pushes", equalTo(0));

    // a later run does not bring the customer back
    Api.awaitRun(shop, Api.startRun(shop, "{\"as_of\": \"2024-07-01\"}"));
    assertEquals(0, count("SELECT count(*) FROM customer_score WHERE tenant_id = ? AND customer_id = 1", shop));
  }

  @Test
  void anotherTenantsTokenSeesAndChangesNothing() {
    String shop = scoredShop();
    String intruder = InternalTokens.newTenant("intruder");
    service(intruder).body(CUSTOMER_1).post(EXPORT).then().statusCode(200)
        .body("scores", hasSize(0)).body("purchase_facts", hasSize(0));
    service(intruder).body(CUSTOMER_1).post(ERASE).then().statusCode(200)
        .body("scores", equalTo(0)).body("purchase_facts", equalTo(0));
    assertEquals(1, count("SELECT count(*) FROM customer_score WHERE tenant_id = ? AND customer_id = 1", shop));
    assertEquals(3, count("SELECT count(*) FROM purchase_fact WHERE tenant_id = ? AND customer_id = 1", shop));
  }

  @Test
  void onlyServiceTokensMayCall() {
    String shop = InternalTokens.newTenant("privacy");
    as(shop, "integration").body(CUSTOMER_1).post(ERASE).then().statusCode(403)
        .contentType("application/problem+json");
    as(shop, "admin").body(CUSTOMER_1).post(EXPORT).then().statusCode(403);
    service(shop).body("{\"customer_ids\": null}").post(ERASE).then().statusCode(400);
  }
}
