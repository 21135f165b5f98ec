package com.shopcrm.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The published BTYD fits on CDNOW, reproduced through the public API only: the 2,357-customer sample
 * imported as generic orders through the gateway, its order events delivered to scoring-service, a
 * scoring run with {@code calibration_end=1997-09-30, time_unit=weeks}. Skips when
 * {@code shared/datasets/cdnow} is not beside the project.
 */
@ExtendWith(PlatformExtension.class)
class CdnowThroughTheApiTest {

  private final E2ePlatform platform;

  CdnowThroughTheApiTest(E2ePlatform platform) {
    this.platform = platform;
  }

  @Test
  void importedCdnowSampleReproducesThePublishedModelParameters() throws IOException {
    Optional<Path> sample = find("shared/datasets/cdnow/CDNOW_sample.txt");
    assumeTrue(sample.isPresent(), "CDNOW data set not available");
    E2ePlatform.TenantKey shop = platform.newTenant("cdnow");

    StringBuilder csv = new StringBuilder("order_no,customer_external_id,ordered_at,total_amount\n");
    List<String> lines = Files.readAllLines(sample.get());
    int rows = 0;
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 5) {
        continue;
      }
      csv.append("cd-").append(f[0]).append('-').append(rows).append(',')
          .append(f[0]).append(',').append(f[2]).append(',').append(f[4]).append('\n');
      rows++;
    }

    String job = platform.as(shop).contentType("text/csv").body(csv.toString())
        .post("/api/v1/orders/imports?format=generic")
        .then().statusCode(202).extract().jsonPath().getString("id");
    JsonPath done = poll(() -> platform.as(shop).get("/api/v1/orders/imports/{id}", job).jsonPath(),
        j -> "completed".equals(j.getString("status")) || "failed".equals(j.getString("status")), 180);
    assertEquals("completed", done.getString("status"), done.prettify());
    assertEquals(rows, done.getInt("rows_imported"));

    // Every order event delivered to scoring-service before the run.
    poll(() -> platform.as(shop).get("/api/v1/orders/events/subscribers").jsonPath(),
        s -> s.getList("findAll { it.name == 'scoring' }.lag").equals(List.of(0)), 300);

    String run = platform.as(shop)
        .body(Map.of("calibration_end", "1997-09-30", "as_of", "1998-06-30", "time_unit", "weeks"))
        .post("/api/v1/scoring/runs")
        .then().statusCode(202).extract().jsonPath().getString("id");
    JsonPath result = poll(() -> platform.as(shop).get("/api/v1/scoring/runs/{id}", run).jsonPath(),
        r -> List.of("completed", "failed").contains(r.getString("status")), 180);
    assertEquals("completed", result.getString("status"), result.prettify());
    assertEquals(2357, result.getInt("customers_fitted"));

    // Fader, Hardie & Lee (2005): BG/NBD within 0.1 %, Gamma-Gamma within 0.5 %.
    close(0.2426, result.getDouble("models.bgnbd.r"), 0.001);
    close(4.4136, result.getDouble("models.bgnbd.alpha"), 0.001);
    close(0.7929, result.getDouble("models.bgnbd.a"), 0.001);
    close(2.4259, result.getDouble("models.bgnbd.b"), 0.001);
    close(-9582.43, result.getDouble("models.bgnbd.log_likelihood"), 0.001);
    close(6.25, result.getDouble("models.gamma_gamma.p"), 0.005);
    close(3.74, result.getDouble("models.gamma_gamma.q"), 0.005);
    close(15.44, result.getDouble("models.gamma_gamma.gamma"), 0.005);

    platform.as(shop).get("/api/v1/scoring/runs/{id}", run).then().body("status", equalTo("completed"));
  }

  private static void close(double expected, double actual, double relative) {
    assertTrue(Math.abs(actual - expected) <= Math.abs(expected) * relative,
        "expected " + expected + " within " + relative * 100 + " % but was " + actual);
  }

  private static JsonPath poll(java.util.function.Supplier<JsonPath> call,
      java.util.function.Predicate<JsonPath> done, int seconds) {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    JsonPath last = null;
    while (System.currentTimeMillis() < deadline) {
      last = call.get();
      try {
        if (done.test(last)) {
          return last;
        }
      } catch (RuntimeException notYet) {
        // the field is not there yet
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return fail("not reached within " + seconds + " s; last: " + (last == null ? "-" : last.prettify()));
  }

  /** The file at {@code relative} under this directory or one of its parents. */
  private static Optional<Path> find(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
