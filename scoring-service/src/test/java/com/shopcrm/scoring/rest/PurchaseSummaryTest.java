package com.shopcrm.scoring.rest;

import static com.shopcrm.scoring.rest.Api.EVENTS;
import static com.shopcrm.scoring.rest.Api.SCORES;
import static com.shopcrm.scoring.rest.Api.as;
import static com.shopcrm.scoring.rest.Api.batch;
import static com.shopcrm.scoring.rest.Api.completed;
import static com.shopcrm.scoring.rest.Api.count;
import static com.shopcrm.scoring.rest.Api.event;
import static com.shopcrm.scoring.rest.Api.text;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The per-customer purchase summaries the purchase-fact triggers keep (V4) are exactly the full
 * run's aggregate (same doubles), through cancellations, refunds, same-day orders, an order moved
 * to another customer and a deleted fact; a run reads them only when nothing lies after its
 * as_of; the run's score table replaces the tenant's partition (V5).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_scoring_test"))
class PurchaseSummaryTest {

  /** The run's aggregate (CustomerTotalsRepository without a calibration end) over all facts. */
  private static final String AGGREGATE = """
      SELECT customer_id, count(*)::int AS purchase_days, min(purchase_day) AS first_day, max(purchase_day) AS last_day,
             sum(v) AS total_value, coalesce(sum(v) FILTER (WHERE n > 1), 0) AS repeat_value
        FROM (SELECT customer_id, purchase_day, v,
                     row_number() OVER (PARTITION BY customer_id ORDER BY purchase_day) AS n
                FROM (SELECT customer_id, purchase_day, sum(value - refunded)::float8 AS v
                        FROM purchase_fact
                       WHERE tenant_id = ? AND counted AND customer_id IS NOT NULL
                       GROUP BY customer_id, purchase_day) per_day) numbered
       GROUP BY customer_id""";

  private static final String SUMMARY = """
      SELECT customer_id, purchase_days, first_day, last_day, total_value, repeat_value
        FROM customer_purchase_summary WHERE tenant_id = ?""";

  /** Rows in one and not the other (doubles compared exactly). */
  private static long differences(String tenant) {
    return count("SELECT count(*) FROM ((" + SUMMARY + " EXCEPT " + AGGREGATE + ") UNION ALL (" + AGGREGATE
        + " EXCEPT " + SUMMARY + ")) d", tenant, tenant, tenant, tenant);
  }

  @Test
  void summariesAreTheRunsAggregateThroughRefundsCancellationsAndMoves() {
    String shop = ScoringFlowTest.seed(); // refunds, a cancellation, two orders on one day, an anonymous order
    assertEquals(0, differences(shop));
    assertEquals(4, count("SELECT count(*) FROM customer_purchase_summary WHERE tenant_id = ?", shop));
    assertEquals("3|2024-01-10|2024-06-20|600|500", text("""
        SELECT purchase_days || '|' || first_day || '|' || last_day || '|' || total_value || '|' || repeat_value
          FROM customer_purchase_summary WHERE tenant_id = ? AND customer_id = 1""", shop));
    assertEquals("1|1500|0", text("""
        SELECT purchase_days || '|' || total_value || '|' || repeat_value
          FROM customer_purchase_summary WHERE tenant_id = ? AND customer_id = 3""", shop));
    assertEquals("1|80", text("""
        SELECT purchase_days || '|' || total_value FROM customer_purchase_summary WHERE tenant_id = ? AND customer_id = 4
        """, shop));

    // values that are not exact in binary, a partial refund, and an order moved to another customer
    as(shop, "integration").body(batch(
            completed("s1", 7L, "S-1", "2024-03-01T10:00:00+08:00", "0.10"),
            completed("s2", 7L, "S-2", "2024-03-02T10:00:00+08:00", "0.20"),
            completed("s3", 7L, "S-3", "2024-03-03T10:00:00+08:00", "0.70"),
            event("s4", "order.refunded", 7L, "S-3", "2024-03-03T10:00:00+08:00", "0.70", "0.30", "completed",
                "2024-07-03T00:00:00Z"),
            event("s5", "order.completed", 8L, "O-1", "2024-01-10T10:00:00+08:00", "100.00", "0", "completed",
                "2024-07-04T00:00:00Z")))
        .post(EVENTS).then().statusCode(200).body("applied", equalTo(5));
    assertEquals(0, differences(shop));
    assertEquals("2|2024-03-05|2024-06-20|500|300", text("""
        SELECT purchase_days || '|' || first_day || '|' || last_day || '|' || total_value || '|' || repeat_value
          FROM customer_purchase_summary WHERE tenant_id = ? AND customer_id = 1""", shop));

    // every fact of customer 2 gone (as an erasure would): no summary
    Api.exec("DELETE FROM purchase_fact WHERE tenant_id = ? AND customer_id = 2", shop);
    assertEquals(0, count("SELECT count(*) FROM customer_purchase_summary WHERE tenant_id = ? AND customer_id = 2",
        shop));
    assertEquals(0, differences(shop));
  }

  @Test
  void otherTenantsSummariesAreUntouched() {
    String a = InternalTokens.newTenant("suma");
    String b = InternalTokens.newTenant("sumb");
    as(a, "integration").body(completed("x1", 1L, "X-1", "2024-05-01T10:00:00+08:00", "10.00")).post(EVENTS).then()
        .statusCode(200);
    as(b, "integration").body(completed("x1", 1L, "X-1", "2024-05-02T10:00:00+08:00", "20.00")).post(EVENTS).then()
        .statusCode(200);
    as(b, "integration").body(event("x2", "order.cancelled", 1L, "X-1", "2024-05-02T10:00:00+08:00", "20.00", "0",
        "cancelled", "2024-07-01T00:00:00Z")).post(EVENTS).then().statusCode(200);
    assertEquals("10", text("SELECT total_value::text FROM customer_purchase_summary WHERE tenant_id = ?", a));
    assertEquals(0, count("SELECT count(*) FROM customer_purchase_summary WHERE tenant_id = ?", b));
  }

  @Test
  void runAsOfBeforeTheLastPurchaseAggregatesTheFacts() {
    String shop = ScoringFlowTest.seed();
    // as of 2024-03-31 customer 1 has two purchase days (the third, 2024-06-20, is later): the
    // summaries cover too much, so the run aggregates the facts up to as_of
    long id = Api.startRun(shop, "{\"as_of\": \"2024-03-31\"}");
    assertEquals("completed", Api.awaitRun(shop, id).getString("status"));
    as(shop, "analyst").get(SCORES + "/1").then().statusCode(200)
        .body("purchase_days", equalTo(2)).body("historical_value", equalTo(300.0f)).body("recency_days", equalTo(26))
        .body("last_purchase_day", equalTo("2024-03-05"));
    as(shop, "analyst").get(SCORES + "/2").then().statusCode(404); // first order in June

    // as of 2024-06-30 nothing lies later: from the summaries, the same numbers as ScoringFlowTest's
    long again = Api.startRun(shop, "{\"as_of\": \"2024-06-30\"}");
    assertEquals("completed", Api.awaitRun(shop, again).getString("status"));
    as(shop, "analyst").get(SCORES + "/1").then().statusCode(200)
        .body("purchase_days", equalTo(3)).body("historical_value", equalTo(600.0f)).body("monetary", equalTo(250.0f))
        .body("run_id", equalTo((int) again));
    as(shop, "analyst").get(SCORES + "/2").then().statusCode(200).body("run_id", equalTo((int) again));
  }

  @Test
  void eachRunSwapsInOnePartitionForItsTenantAndKeepsOthersScores() {
    String shop = ScoringFlowTest.seed();
    String other = ScoringFlowTest.seed();
    long first = Api.startRun(shop, "{\"as_of\": \"2024-06-30\"}");
    assertEquals("completed", Api.awaitRun(shop, first).getString("status"));
    long second = Api.startRun(shop, "{\"as_of\": \"2024-06-30\"}");
    assertEquals("completed", Api.awaitRun(shop, second).getString("status"));
    String bound = "FOR VALUES IN ('" + shop + "')";
    assertEquals("customer_score_r" + second, text("""
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'customer_score'::regclass AND pg_get_expr(c.relpartbound, c.oid) = ?""", bound));
    assertEquals(0, count("SELECT count(*) FROM pg_class WHERE relname = ?", "customer_score_r" + first));
    assertEquals(4, count("SELECT count(*) FROM customer_score WHERE tenant_id = ? AND run_id = ?", shop, second));
    assertEquals(0, count("SELECT count(*) FROM customer_score_default WHERE tenant_id = ?", shop));
    // the other tenant's event-written scores (no run) stay in the default partition
    assertEquals(4, count("SELECT count(*) FROM customer_score_default WHERE tenant_id = ?", other));
  }
}
