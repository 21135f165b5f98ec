package com.shopcrm.scoring.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fit times, logged for docs/MODELS.md: CDNOW (2,357 customers) and one million customers simulated
 * on a calendar of whole days, as a large shop's order history arrives (aggregated to distinct
 * (x, t_x, T) rows before fitting). A measurement, not a gate: it runs only with
 * {@code -Dcrm.bench=true} (e.g. {@code ./mvnw -pl scoring-service test -Dcrm.bench=true
 * -Dtest=ModelFitTimingTest}) and asserts correctness, never time.
 */
@EnabledIfSystemProperty(named = "crm.bench", matches = "true")
class ModelFitTimingTest {

  private static final Logger LOG = Logger.getLogger(ModelFitTimingTest.class);

  @Test
  void fitsCdnowInUnderASecondWarm() throws Exception {
    Optional<Path> csv = CdnowData.file("cdnow_customers_summary.csv");
    assumeTrue(csv.isPresent(), "CDNOW data set not available");
    List<CustomerSummary> customers = CdnowData.summaries(csv.get());
    BgNbdModel.fit(customers); // warm-up (JIT)
    long start = System.nanoTime();
    BgNbdModel.Fit fit = BgNbdModel.fit(customers);
    double millis = (System.nanoTime() - start) / 1e6;
    LOG.infof("TIMING BG/NBD CDNOW: %d customers, %d distinct rows, %d evaluations, %.0f ms (warm)",
        fit.customers(), fit.distinctRows(), fit.evaluations(), millis);
  }

  @Test
  void fitsOneMillionSimulatedCustomersOnDailyData() {
    BgNbdModel truth = new BgNbdModel(0.25, 30.0, 0.8, 2.5); // alpha in days
    GammaGammaModel spend = new GammaGammaModel(6.0, 4.0, 150.0); // CNY
    BtydSimulator sim = new BtydSimulator(1_000_000L);
    int[] ages = new int[1_000_000];
    for (int i = 0; i < ages.length; i++) {
      ages[i] = sim.uniformInt(1, 730); // first purchases spread over two years
    }
    long t0 = System.nanoTime();
    List<CustomerSummary> customers = sim.customersOnDays(truth, spend, ages);
    long t1 = System.nanoTime();
    AggregatedSummaries rows = AggregatedSummaries.of(customers);
    long t2 = System.nanoTime();
    BgNbdModel.Fit fit = BgNbdModel.fit(rows);
    long t3 = System.nanoTime();
    LOG.infof("TIMING BG/NBD 1M simulated (days): simulate %.1f s, aggregate %.2f s to %d distinct rows, fit %.1f s "
            + "(%d evaluations); truth %s, fit %s",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, rows.rows(), (t3 - t2) / 1e9, fit.evaluations(), truth, fit.model());
    assertEquals(1_000_000, fit.customers());
    assertTrue(rows.rows() < 1_000_000);
    // whole-day data (same-day purchases merged, times rounded up to days) are close to, not
    // exactly, the continuous-time model: recovery within 10%
    BgNbdModelTest.assertWithin(truth.r(), fit.model().r(), 0.10, "r");
    BgNbdModelTest.assertWithin(truth.alpha(), fit.model().alpha(), 0.10, "alpha");
    BgNbdModelTest.assertWithin(truth.a(), fit.model().a(), 0.10, "a");
    BgNbdModelTest.assertWithin(truth.b(), fit.model().b(), 0.10, "b");

    long t4 = System.nanoTime();
    GammaGammaModel.Fit gg = GammaGammaModel.fit(customers);
    long t5 = System.nanoTime();
    LOG.infof("TIMING Gamma-Gamma 1M simulated: %d repeat buyers, fit %.1f s (%d evaluations); truth %s, fit %s",
        gg.customers(), (t5 - t4) / 1e9, gg.evaluations(), spend, gg.model());
    BgNbdModelTest.assertWithin(spend.populationMeanValue(), gg.model().populationMeanValue(), 0.02, "mean spend");
    BgNbdModelTest.assertWithin(spend.p(), gg.model().p(), 0.05, "p");
  }
}
