package com.shopcrm.scoring.rest;

import static com.shopcrm.scoring.rest.Api.as;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** KPIs on the four customers of {@link ScoringFlowTest} (see its numbers). */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_scoring_test"))
class KpiTest {

  @Test
  void rfmDistributionRetentionAndCohorts() {
    String shop = ScoringFlowTest.seed();
    assertEquals("completed", Api.awaitRun(shop, Api.startRun(shop, "{\"as_of\": \"2024-06-30\"}"))
        .getString("status"));

    as(shop, "analyst").get("/api/v1/kpis/rfm-distribution").then().statusCode(200)
        .body("customers", equalTo(4)).body("revenue", equalTo(2230.0f))
        .body("segments", hasSize(8))
        .body("segments.find { it.segment == 'important_winback' }.customers", equalTo(1))
        .body("segments.find { it.segment == 'important_winback' }.revenue_share", equalTo((float) (1500.0 / 2230.0)))
        .body("segments.find { it.segment == 'important_value' }.customers", equalTo(0))
        .body("groups.find { it.group == 'loyal' }.customers", equalTo(1));

    // Q2 2024 against Q1: buyers 1, 2, 4 (none twice); Q1 buyers 1 and 3, of whom 1 came back
    as(shop, "analyst").queryParam("from", "2024-04-01").queryParam("to", "2024-06-30")
        .get("/api/v1/kpis/retention").then().statusCode(200)
        .body("previous_from", equalTo("2024-01-01"))
        .body("customers", equalTo(3)).body("repeat_customers", equalTo(0)).body("repurchase_rate", equalTo(0.0f))
        .body("previous_customers", equalTo(2)).body("retained_customers", equalTo(1))
        .body("retention_rate", equalTo(0.5f)).body("churn_rate", equalTo(0.5f));

    as(shop, "analyst").queryParam("months", "6").get("/api/v1/kpis/cohorts").then().statusCode(200)
        .body("cohorts.cohort", equalTo(java.util.List.of("2024-01", "2024-02", "2024-04", "2024-06")))
        .body("cohorts[0].customers", equalTo(1))
        .body("cohorts[0].active", equalTo(java.util.List.of(1, 0, 1, 0, 0, 1)))
        .body("cohorts[3].retention[0]", equalTo(1.0f));

    // no model fitted (four customers): no CLV yet
    as(shop, "analyst").get("/api/v1/kpis/clv-distribution").then().statusCode(200)
        .body("customers", equalTo(0)).body("buckets", empty());
  }

  @Test
  void badKpiParametersAreProblems() {
    String shop = InternalTokens.newTenant("kpi-bad");
    as(shop, "analyst").get("/api/v1/kpis/retention").then().statusCode(400)
        .contentType("application/problem+json").body("errors.field", hasItem("from"));
    as(shop, "analyst").queryParam("from", "2024-05-01").queryParam("to", "2024-04-01")
        .get("/api/v1/kpis/retention").then().statusCode(400);
    as(shop, "analyst").queryParam("buckets", "x").get("/api/v1/kpis/clv-distribution").then().statusCode(400);
    as(shop, "analyst").queryParam("months", "0").get("/api/v1/kpis/cohorts").then().statusCode(400);
  }

  @Test
  void otherTenantSeesOnlyItsOwnKpis() {
    String shopA = ScoringFlowTest.seed();
    Api.awaitRun(shopA, Api.startRun(shopA, "{\"as_of\": \"2024-06-30\"}"));
    String shopB = InternalTokens.newTenant("kpi-b");
    as(shopB, "analyst").get("/api/v1/kpis/rfm-distribution").then().statusCode(200).body("customers", equalTo(0));
    as(shopB, "analyst").get("/api/v1/kpis/cohorts").then().statusCode(200).body("cohorts", empty());
    as(shopB, "analyst").queryParam("from", "2024-04-01").queryParam("to", "2024-06-30")
        .get("/api/v1/kpis/retention").then().statusCode(200).body("customers", equalTo(0));
  }
}
