package com.shopcrm.scoring.rest;

import static com.shopcrm.scoring.rest.Api.EVENTS;
import static com.shopcrm.scoring.rest.Api.SCORES;
import static com.shopcrm.scoring.rest.Api.as;
import static com.shopcrm.scoring.rest.Api.completed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import com.shopcrm.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A run on the CDNOW sample (2,357 customers, 6,919 orders; shared/datasets/cdnow, skipped when
 * absent) loaded as purchase facts reproduces the published fits: BG/NBD r 0.2426, α 4.4136,
 * a 0.7929, b 2.4259 (Fader, Hardie &amp; Lee 2005a) within 0.1%, Gamma-Gamma p 6.25, q 3.74,
 * γ 15.44 (2005b) within 0.5%, with calibration end 1997-09-30 in weeks; the 39-week holdout is
 * reported.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_scoring_test"))
class CdnowRunTest {

  private static Optional<Path> sample() {
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/datasets/cdnow/CDNOW_sample.txt");
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
      dir = dir.getParent();
    }
    return Optional.empty();
  }

  /** Loads the sample as purchase facts: customer = the id in the sample, one order per line. */
  private static void load(String tenant, Path txt) throws Exception {
    List<String> lines = Files.readAllLines(txt);
    try (Connection c = TestDatabase.get().connect(Api.DATABASE); PreparedStatement s = c.prepareStatement(
        "INSERT INTO purchase_fact (tenant_id, order_no, customer_id, ordered_at, purchase_day, value, status,"
            + " version_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'completed', now(), now())")) {
      int n = 0;
      for (String line : lines) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5) {
          continue;
        }
        LocalDate day = LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE);
        s.setString(1, tenant);
        s.setString(2, "CD-" + (n++));
        s.setLong(3, Long.parseLong(f[1]));
        s.setObject(4, day.atTime(12, 0).atOffset(ZoneOffset.ofHours(8)));
        s.setDate(5, Date.valueOf(day));
        s.setBigDecimal(6, new BigDecimal(f[4]));
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static void near(double expected, double actual, double relative, String what) {
    assertTrue(Math.abs(actual / expected - 1) <= relative, what + ": expected " + expected + " ± "
        + (relative * 100) + "%, got " + actual);
  }

  @Test
  void reproducesThePublishedFitsAndReportsTheHoldout() throws Exception {
    Optional<Path> txt = sample();
    assumeTrue(txt.isPresent(), "shared/datasets/cdnow absent");
    String shop = InternalTokens.newTenant("cdnow");
    load(shop, txt.get());

    long id = Api.startRun(shop,
        "{\"as_of\": \"1998-06-30\", \"calibration_end\": \"1997-09-30\", \"time_unit\": \"weeks\"}");
    JsonPath run = Api.awaitRun(shop, id);
    assertEquals("completed", run.getString("status"), run.prettify());
    assertEquals(2357, run.getInt("customers_scored"));
    assertEquals(2357, run.getInt("customers_fitted"));
    near(0.2426, run.getDouble("models.bgnbd.r"), 0.001, "r");
    near(4.4136, run.getDouble("models.bgnbd.alpha"), 0.001, "alpha");
    near(0.7929, run.getDouble("models.bgnbd.a"), 0.001, "a");
    near(2.4259, run.getDouble("models.bgnbd.b"), 0.001, "b");
    near(-9582.43, run.getDouble("models.bgnbd.log_likelihood"), 0.0001, "BG/NBD log-likelihood");
    near(6.25, run.getDouble("models.gamma_gamma.p"), 0.005, "p");
    near(3.74, run.getDouble("models.gamma_gamma.q"), 0.005, "q");
    near(15.44, run.getDouble("models.gamma_gamma.gamma"), 0.005, "gamma");
    assertEquals(946, run.getInt("models.gamma_gamma.customers"));

    // holdout: 39 weeks after the calibration end; the model's total is close to what happened
    assertEquals(273, run.getInt("holdout.holdout_days"));
    assertEquals(2357, run.getInt("holdout.customers"));
    long actual = run.getLong("holdout.actual_repeat_purchases");
    double predicted = run.getDouble("holdout.predicted_repeat_purchases");
    assertTrue(actual > 1000, "actual holdout repeat purchases " + actual);
    assertTrue(Math.abs(predicted / actual - 1) < 0.15, "predicted " + predicted + " vs actual " + actual);
    assertEquals(8, run.getList("holdout.by_frequency").size());
    assertEquals("7+", run.getString("holdout.by_frequency[7].frequency"));
    List<Map<String, Object>> weekly = run.getList("holdout.weekly");
    assertEquals(39, weekly.size());
    assertEquals(actual, ((Number) weekly.get(38).get("actual_cumulative")).longValue());
    assertEquals(predicted, ((Number) weekly.get(38).get("predicted_cumulative")).doubleValue(), 1e-6 * predicted);
    assertNotNull(run.get("holdout.mean_absolute_error"));

    // every customer has model outputs; customer 1 (4 orders, the last 1997-12-12) as of 1998-06-30
    JsonPath one = as(shop, "analyst").get(SCORES + "/1").then().statusCode(200).extract().jsonPath();
    assertEquals(200, one.getInt("recency_days"));
    assertEquals(3, one.getInt("frequency"));
    double pAlive = one.getDouble("p_alive");
    assertTrue(pAlive > 0 && pAlive < 1, "p_alive " + pAlive);
    assertTrue(one.getDouble("expected_purchases_90d") > 0);
    assertTrue(one.getDouble("expected_purchases_365d") > one.getDouble("expected_purchases_90d"));
    assertTrue(one.getDouble("predicted_clv_365d") > 0);
    assertNotNull(one.getString("expected_next_order_date"));
    assertNotNull(one.getString("rfm_segment"));

    // a new order of customer 1: rescored within the call with the run's model, no new run
    String yesterday = OffsetDateTime.now(ZoneOffset.UTC).minusDays(1).toString();
    as(shop, "integration").body(completed("cd-new", 1L, "CD-NEW", yesterday, "40.00")).post(EVENTS).then()
        .statusCode(200);
    JsonPath after = as(shop, "analyst").get(SCORES + "/1").then().statusCode(200).extract().jsonPath();
    assertEquals(4, after.getInt("frequency"));
    assertEquals(1, after.getInt("recency_days"));
    assertEquals(id, after.getLong("run_id"));
    assertNotNull(after.get("p_alive"));
    assertNotNull(after.get("predicted_clv_365d"));
    assertEquals(LocalDate.now(ZoneOffset.ofHours(8)).toString(), after.getString("as_of"));
  }
}
