package com.shopcrm.scoring.rest;

import static com.shopcrm.scoring.rest.Api.EVENTS;
import static com.shopcrm.scoring.rest.Api.RUNS;
import static com.shopcrm.scoring.rest.Api.SCORES;
import static com.shopcrm.scoring.rest.Api.as;
import static com.shopcrm.scoring.rest.Api.batch;
import static com.shopcrm.scoring.rest.Api.completed;
import static com.shopcrm.scoring.rest.Api.count;
import static com.shopcrm.scoring.rest.Api.event;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Events in → run → scores, with numbers checked by hand. Four customers as of 2024-06-30:
 * <pre>
 *   1: 2024-01-10 100, 2024-03-05 200 (17:30Z on the 4th = the 5th in Shanghai), 2024-06-20 300
 *      → 3 purchase days, frequency 2, recency 10, monetary (repeat mean) 250, AOV 200, historical 600
 *   2: 2024-06-01 50 → frequency 0, recency 29, AOV 50
 *   3: 2024-02-01 1000 + 500 the same day, + a cancelled order → one day, recency 150, AOV 1500
 *   4: 2024-04-10 80, 2024-05-10 120 refunded in full → one day, recency 81, AOV 80
 * </pre>
 * Quintiles (1 + floor(5 * worse / 4)): R 4,3,1,2; F 4,1,1,1; M 3,1,4,2. Means: recency 67.5,
 * frequency 0.5, AOV 457.5 → segments general_value, general_development, important_winback,
 * general_winback; 11-group loyal, about_to_sleep, lost, hibernating.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_scoring_test"))
class ScoringFlowTest {

  static String seed() {
    String shop = InternalTokens.newTenant("flow");
    as(shop, "integration").body(batch(
            completed("e1", 1L, "O-1", "2024-01-10T10:00:00+08:00", "100.00"),
            completed("e2", 1L, "O-2", "2024-03-04T17:30:00Z", "200.00"),
            completed("e3", 1L, "O-3", "2024-06-20T09:00:00+08:00", "300.00"),
            completed("e4", 2L, "O-4", "2024-06-01T12:00:00+08:00", "50.00"),
            completed("e5", 3L, "O-5", "2024-02-01T08:00:00+08:00", "1000.00"),
            completed("e6", 3L, "O-6", "2024-02-01T23:30:00+08:00", "500.00"),
            event("e7", "order.cancelled", 3L, "O-7", "2024-05-01T10:00:00+08:00", "700.00", "0", "cancelled",
                "2024-07-01T00:00:00Z"),
            completed("e8", 4L, "O-8", "2024-04-10T10:00:00+08:00", "80.00"),
            completed("e9", 4L, "O-9", "2024-05-10T10:00:00+08:00", "120.00"),
            completed("e10", null, "O-10", "2024-06-10T10:00:00+08:00", "999.00")))
        .post(EVENTS).then().statusCode(200)
        .body("received", equalTo(10)).body("applied", equalTo(10)).body("duplicates", equalTo(0));
    // the refund of O-9 arrives later; the same event delivered twice counts once
    String refund = event("e11", "order.refunded", 4L, "O-9", "2024-05-10T10:00:00+08:00", "120.00", "120.00",
        "refunded", "2024-07-02T00:00:00Z");
    as(shop, "integration").body(refund).post(EVENTS).then().statusCode(200).body("applied", equalTo(1));
    as(shop, "integration").body(refund).post(EVENTS).then().statusCode(200)
        .body("applied", equalTo(0)).body("duplicates", equalTo(1));
    return shop;
  }

  @Test
  void runScoresEveryCustomerWithHandCheckedRfm() {
    String shop = seed();
    assertEquals(10, count("SELECT count(*) FROM purchase_fact WHERE tenant_id = ?", shop));
    assertEquals(11, count("SELECT count(*) FROM processed_event WHERE tenant_id = ?", shop));

    long id = Api.startRun(shop, "{\"as_of\": \"2024-06-30\"}");
    JsonPath run = Api.awaitRun(shop, id);
    assertEquals("completed", run.getString("status"), run.prettify());
    assertEquals(4, run.getInt("customers_scored"));
    assertEquals(null, (Object) run.get("models.bgnbd"));

    as(shop, "analyst").get(SCORES + "/1").then().statusCode(200)
        .body("recency_days", equalTo(10)).body("frequency", equalTo(2)).body("purchase_days", equalTo(3))
        .body("monetary", equalTo(250.0f)).body("historical_value", equalTo(600.0f))
        .body("average_order_value", equalTo(200.0f))
        .body("first_purchase_day", equalTo("2024-01-10")).body("last_purchase_day", equalTo("2024-06-20"))
        .body("r_score", equalTo(4)).body("f_score", equalTo(4)).body("m_score", equalTo(3))
        .body("rfm_segment", equalTo("general_value")).body("rfm11", equalTo("loyal"))
        .body("lifecycle_stage", equalTo("active")).body("p_alive", nullValue()).body("run_id", equalTo((int) id));
    as(shop, "analyst").get(SCORES + "/2").then().statusCode(200)
        .body("recency_days", equalTo(29)).body("frequency", equalTo(0)).body("monetary", equalTo(0.0f))
        .body("r_score", equalTo(3)).body("f_score", equalTo(1)).body("m_score", equalTo(1))
        .body("rfm_segment", equalTo("general_development")).body("rfm11", equalTo("about_to_sleep"))
        .body("lifecycle_stage", equalTo("new"));
    as(shop, "analyst").get(SCORES + "/3").then().statusCode(200)
        .body("recency_days", equalTo(150)).body("purchase_days", equalTo(1))
        .body("historical_value", equalTo(1500.0f))
        .body("r_score", equalTo(1)).body("m_score", equalTo(4))
        .body("rfm_segment", equalTo("important_winback")).body("rfm11", equalTo("lost"));
    as(shop, "analyst").get(SCORES + "/4").then().statusCode(200)
        .body("recency_days", equalTo(81)).body("historical_value", equalTo(80.0f))
        .body("r_score", equalTo(2)).body("m_score", equalTo(2))
        .body("rfm_segment", equalTo("general_winback")).body("rfm11", equalTo("hibernating"))
        .body("lifecycle_stage", equalTo("new"));
  }

  @Test
  void newOrderUpdatesTheScoreWithoutARun() {
    String shop = seed();
    long id = Api.startRun(shop, "{\"as_of\": \"2024-06-30\"}");
    assertEquals("completed", Api.awaitRun(shop, id).getString("status"));

    String yesterday = OffsetDateTime.now(ZoneOffset.UTC).minusDays(1).toString();
    as(shop, "integration").body(completed("e20", 2L, "O-20", yesterday, "70.00")).post(EVENTS).then()
        .statusCode(200).body("customers_rescored", equalTo(1));
    as(shop, "analyst").get(SCORES + "/2").then().statusCode(200)
        .body("frequency", equalTo(1)).body("purchase_days", equalTo(2)).body("historical_value", equalTo(120.0f))
        .body("monetary", equalTo(70.0f))
        .body("r_score", equalTo(5)) // more recent than everyone the run saw
        .body("run_id", equalTo((int) id));

    // a customer first seen after the run is scored at once (quintiles against the run's breakpoints)
    as(shop, "integration").body(completed("e21", 9L, "O-21", yesterday, "10.00")).post(EVENTS).then()
        .statusCode(200);
    as(shop, "analyst").get(SCORES + "/9").then().statusCode(200)
        .body("frequency", equalTo(0)).body("lifecycle_stage", equalTo("new")).body("r_score", equalTo(5));

    // its only order fully refunded: no counted purchase, no score
    as(shop, "integration").body(event("e22", "order.refunded", 9L, "O-21", yesterday, "10.00", "10.00", "refunded",
        OffsetDateTime.now(ZoneOffset.UTC).toString())).post(EVENTS).then().statusCode(200);
    as(shop, "analyst").get(SCORES + "/9").then().statusCode(404);
  }

  @Test
  void anonymousOrdersAreKeptButNeverScored() {
    String shop = seed();
    assertEquals(1, count("SELECT count(*) FROM purchase_fact WHERE tenant_id = ? AND customer_id IS NULL", shop));
    assertEquals(4, count("SELECT count(*) FROM customer_score WHERE tenant_id = ?", shop));
  }

  @Test
  void olderEventDoesNotOverwriteNewerState() {
    String shop = InternalTokens.newTenant("order");
    as(shop, "integration").body(event("n2", "order.refunded", 5L, "X-1", "2024-05-01T10:00:00+08:00", "90.00",
        "90.00", "refunded", "2024-05-03T00:00:00Z")).post(EVENTS).then().statusCode(200);
    as(shop, "integration").body(event("n1", "order.paid", 5L, "X-1", "2024-05-01T10:00:00+08:00", "90.00",
        "0", "paid", "2024-05-01T00:00:00Z")).post(EVENTS).then().statusCode(200).body("stale", equalTo(1));
    assertEquals(1, count("SELECT count(*) FROM purchase_fact WHERE tenant_id = ? AND status = 'refunded'", shop));
    as(shop, "analyst").get(SCORES + "/5").then().statusCode(404);
  }

  @Test
  void invalidEventInABatchWritesNothing() {
    String shop = InternalTokens.newTenant("bad");
    String bad = completed("b2", 6L, "B-2", "2024-05-01T10:00:00+08:00", "12").replace("\"total_amount\": 12,", "");
    as(shop, "integration").body(batch(completed("b1", 6L, "B-1", "2024-05-01T10:00:00+08:00", "10"), bad))
        .post(EVENTS).then().statusCode(400).contentType("application/problem+json")
        .body("errors.field", hasItem("events[1].payload.total_amount"));
    as(shop, "integration").body("{\"event_id\": \"x\"}").post(EVENTS).then().statusCode(400)
        .contentType("application/problem+json");
    assertEquals(0, count("SELECT count(*) FROM purchase_fact WHERE tenant_id = ?", shop));
    assertEquals(0, count("SELECT count(*) FROM processed_event WHERE tenant_id = ?", shop));
  }

  @Test
  void badRunParametersAreProblems() {
    String shop = InternalTokens.newTenant("params");
    as(shop, "admin").body("{\"time_unit\": \"months\"}").post(RUNS).then().statusCode(400)
        .contentType("application/problem+json").body("errors.field", hasItem("time_unit"));
    as(shop, "admin").body("{\"as_of\": \"2024-06-30\", \"calibration_end\": \"2024-07-31\"}").post(RUNS).then()
        .statusCode(400).body("errors.field", hasItem("calibration_end"));
    as(shop, "admin").body("{\"as_of\": \"2024-13-01\"}").post(RUNS).then().statusCode(400)
        .contentType("application/problem+json");
    as(shop, "admin").body("{\"unknown\": 1}").post(RUNS).then().statusCode(400)
        .contentType("application/problem+json");
    assertEquals(0, count("SELECT count(*) FROM scoring_run WHERE tenant_id = ?", shop));
  }

  @Test
  void analystReadsButStartsNothing() {
    String shop = InternalTokens.newTenant("roles");
    as(shop, "analyst").body("{}").post(RUNS).then().statusCode(403);
    as(shop, "analyst").body(completed("r1", 1L, "R-1", "2024-05-01T10:00:00+08:00", "10")).post(EVENTS).then()
        .statusCode(403);
    as(shop, "marketer").body(completed("r1", 1L, "R-1", "2024-05-01T10:00:00+08:00", "10")).post(EVENTS).then()
        .statusCode(403);
    long id = Api.startRun(shop, "{}");
    as(shop, "analyst").get(RUNS + "/" + id).then().statusCode(200).body("id", equalTo((int) id))
        .body("status", notNullValue());
    assertEquals("completed", Api.awaitRun(shop, id).getString("status"));
  }

  @Test
  void runStartIsIdempotentWithAKey() {
    String shop = InternalTokens.newTenant("idem");
    long first = as(shop, "admin").header("Idempotency-Key", "run-1").body("{}").post(RUNS).then().statusCode(202)
        .extract().jsonPath().getLong("id");
    as(shop, "admin").header("Idempotency-Key", "run-1").body("{}").post(RUNS).then().statusCode(202)
        .body("id", equalTo((int) first));
    assertEquals(1, count("SELECT count(*) FROM scoring_run WHERE tenant_id = ?", shop));
    Api.awaitRun(shop, first);
  }

  @Test
  void otherTenantSeesNothing() {
    String shopA = seed();
    String shopB = InternalTokens.newTenant("other");
    long id = Api.startRun(shopA, "{\"as_of\": \"2024-06-30\"}");
    Api.awaitRun(shopA, id);
    as(shopB, "admin").get(RUNS + "/" + id).then().statusCode(404).contentType("application/problem+json");
    as(shopB, "admin").get(SCORES + "/1").then().statusCode(404);
    // the same event id and order number in tenant B are B's own
    as(shopB, "integration").body(completed("e1", 1L, "O-1", "2024-01-10T10:00:00+08:00", "5.00")).post(EVENTS)
        .then().statusCode(200).body("applied", equalTo(1));
    as(shopB, "analyst").get(SCORES + "/1").then().statusCode(200).body("historical_value", equalTo(5.0f));
    as(shopA, "analyst").get(SCORES + "/1").then().statusCode(200).body("historical_value", equalTo(600.0f));
    long runB = Api.startRun(shopB, "{\"as_of\": \"2024-06-30\"}");
    assertEquals(1, Api.awaitRun(shopB, runB).getInt("customers_scored"));
  }
}
