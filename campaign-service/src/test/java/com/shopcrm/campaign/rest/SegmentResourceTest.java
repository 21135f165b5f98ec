package com.shopcrm.campaign.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
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
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class SegmentResourceTest {

  private static final String VIP_RULE =
      "{\"all\": [{\"field\": \"rfm_segment\", \"op\": \"in\", \"value\": [\"important_value\"]},"
          + " {\"not\": {\"field\": \"city\", \"op\": \"eq\", \"value\": \"上海\"}}]}";

  private static void insertSegments(String tenant, String... names) throws Exception {
    try (Connection c = TestDatabase.get().connect("crm_campaign_test");
         PreparedStatement s = c.prepareStatement(
             "INSERT INTO segment (tenant_id, name, rule) VALUES (?, ?, ?::jsonb)")) {
      for (String name : names) {
        s.setString(1, tenant);
        s.setString(2, name);
        s.setString(3, VIP_RULE);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  @Test
  void listsTheTenantsSegmentsWithTheirRules() throws Exception {
    String shop = InternalTokens.newTenant("shop-a");
    insertSegments(shop, "VIP outside Shanghai");

    given().header("Authorization", InternalTokens.bearer(shop, "marketer"))
        .get("/api/v1/segments")
        .then().statusCode(200)
        .body("items.name", contains("VIP outside Shanghai"))
        .body("items[0].id", notNullValue())
        .body("items[0].rule.all[0].field", equalTo("rfm_segment"))
        .body("items[0].rule.all[1].not.value", equalTo("上海"))
        .body("items[0].created_at", notNullValue())
        .body("next_cursor", nullValue());
  }

  @Test
  void otherTenantNeverSeesTheSegments() throws Exception {
    String shopA = InternalTokens.newTenant("shop-a");
    String shopB = InternalTokens.newTenant("shop-b");
    insertSegments(shopA, "A one", "A two");

    given().header("Authorization", InternalTokens.bearer(shopB, "admin"))
        .get("/api/v1/segments")
        .then().statusCode(200)
        .body("items", empty())
        .body("next_cursor", nullValue());
  }

  @Test
  void pagesThroughSegmentsWithTheCursor() throws Exception {
    String shop = InternalTokens.newTenant("shop-a");
    insertSegments(shop, "S1", "S2", "S3");
    String auth = InternalTokens.bearer(shop, "marketer");

    String cursor = given().header("Authorization", auth).queryParam("limit", 2)
        .get("/api/v1/segments")
        .then().statusCode(200)
        .body("items.name", contains("S1", "S2"))
        .extract().path("next_cursor");

    given().header("Authorization", auth).queryParam("limit", 2).queryParam("cursor", cursor)
        .get("/api/v1/segments")
        .then().statusCode(200)
        .body("items.name", contains("S3"))
        .body("next_cursor", nullValue());
  }

  @Test
  void rejectsBadLimit() {
    String auth = InternalTokens.bearer(InternalTokens.newTenant("shop-a"), "marketer");
    for (String limit : new String[] {"0", "1001", "ten"}) {
      given().header("Authorization", auth).queryParam("limit", limit)
          .get("/api/v1/segments")
          .then().statusCode(400)
          .contentType("application/problem+json")
          .body("status", equalTo(400))
          .body("errors[0].field", equalTo("limit"));
    }
  }

  @Test
  void documentsTheListWithAnIntegerLimitInOpenApi() {
    given().get("/q/openapi?format=json")
        .then().statusCode(200)
        .body("paths.'/api/v1/segments'.get.parameters.find { it.name == 'limit' }.schema.type", equalTo("integer"));
  }

  @Test
  void rejectsCallWithoutToken() {
    given().get("/api/v1/segments").then().statusCode(401);
  }
}
