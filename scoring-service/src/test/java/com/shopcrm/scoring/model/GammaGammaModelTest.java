package com.shopcrm.scoring.model;

import static com.shopcrm.scoring.model.BgNbdModelTest.assertWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

class GammaGammaModelTest {

  private static final Logger LOG = Logger.getLogger(GammaGammaModelTest.class);

  /** Fader, Hardie &amp; Lee (2005) "RFM and CLV", CDNOW sample. */
  static final GammaGammaModel PUBLISHED = new GammaGammaModel(6.25, 3.74, 15.44);

  @Test
  void fitsPublishedCdnowParameters() throws Exception {
    Optional<Path> csv = CdnowData.file("cdnow_customers_summary_with_transactions.csv");
    assumeTrue(csv.isPresent(), "CDNOW data set not available");
    List<CustomerSummary> customers = new ArrayList<>(CdnowData.summariesWithValue(csv.get()).values());
    long start = System.nanoTime();
    GammaGammaModel.Fit fit = GammaGammaModel.fit(customers);
    long millis = (System.nanoTime() - start) / 1_000_000;
    LOG.infof("Gamma-Gamma fit on CDNOW: %d repeat buyers, %d ms, %d evaluations: %s LL=%.4f", fit.customers(), millis,
        fit.evaluations(), fit.model(), fit.logLikelihood());
    assertEquals(946, fit.customers());
    assertWithin(6.25, fit.model().p(), 5e-3, "p");
    assertWithin(3.74, fit.model().q(), 5e-3, "q");
    assertWithin(15.44, fit.model().gamma(), 5e-3, "gamma");
    assertFalse(fit.onBoundary());
    assertTrue(fit.logLikelihood() >= PUBLISHED.logLikelihood(customers));
    assertEquals(-4055.9232435, fit.logLikelihood(), 1e-3); // scipy Nelder-Mead on the same data
  }

  @Test
  void conditionalExpectedValueShrinksTowardsPopulationMean() {
    // p (gamma + x m) / (p x + q - 1) by hand: 6.25 (15.44 + 2 * 22.35) / (12.5 + 2.74) = 24.66371391...
    assertEquals(24.6637139108, PUBLISHED.expectedAverageValue(2, 22.35), 1e-9);
    // no repeat purchases: the population mean p gamma / (q - 1) = 96.5 / 2.74
    assertEquals(96.5 / 2.74, PUBLISHED.expectedAverageValue(0, 0), 1e-12);
    assertEquals(PUBLISHED.populationMeanValue(), PUBLISHED.expectedAverageValue(CustomerSummary.of(0, 0, 10)), 1e-12);
    // many purchases: close to the customer's own mean
    assertEquals(50.0, PUBLISHED.expectedAverageValue(1000, 50), 0.05);
  }

  @Test
  void recoversParametersFromSimulatedCustomers() {
    GammaGammaModel truth = new GammaGammaModel(6.0, 4.0, 15.0);
    BtydSimulator sim = new BtydSimulator(7L);
    double[] ages = new double[10_000];
    java.util.Arrays.fill(ages, 52);
    List<CustomerSummary> customers = sim.customers(new BgNbdModel(0.5, 4, 0.8, 2.5), truth, ages);
    GammaGammaModel.Fit fit = GammaGammaModel.fit(customers);
    LOG.infof("Gamma-Gamma recovery, %d simulated repeat buyers: truth %s, fit %s, SE(log p, log(q-1), log gamma) %s",
        fit.customers(), truth, fit.model(), java.util.Arrays.toString(fit.logParameterStandardErrors()));
    assertFalse(fit.onBoundary());
    double[] se = fit.logParameterStandardErrors();
    assertTrue(Math.abs(Math.log(fit.model().p() / truth.p())) < 3 * se[0], "p");
    assertTrue(Math.abs(Math.log((fit.model().q() - 1) / (truth.q() - 1))) < 3 * se[1], "q");
    assertTrue(Math.abs(Math.log(fit.model().gamma() / truth.gamma())) < 3 * se[2], "gamma");
    assertWithin(truth.populationMeanValue(), fit.model().populationMeanValue(), 0.05, "population mean");
    assertTrue(fit.logLikelihood() >= truth.logLikelihood(customers));
  }

  @Test
  void fitIsIndependentOfCurrencyUnit() {
    BtydSimulator sim = new BtydSimulator(11L);
    double[] ages = new double[3_000];
    java.util.Arrays.fill(ages, 52);
    List<CustomerSummary> dollars = sim.customers(new BgNbdModel(0.5, 4, 0.8, 2.5), new GammaGammaModel(3, 5, 40), ages);
    List<CustomerSummary> cents = dollars.stream()
        .map(s -> new CustomerSummary(s.frequency(), s.recency(), s.age(), s.monetary() * 100)).toList();
    GammaGammaModel.Fit a = GammaGammaModel.fit(dollars);
    GammaGammaModel.Fit b = GammaGammaModel.fit(cents);
    assertWithin(a.model().p(), b.model().p(), 1e-4, "p");
    assertWithin(a.model().q(), b.model().q(), 1e-4, "q");
    assertWithin(a.model().gamma() * 100, b.model().gamma(), 1e-4, "gamma");
    // the densities of values in cents are 1/100 of those in dollars
    assertEquals(a.logLikelihood() - a.customers() * Math.log(100), b.logLikelihood(), 1e-6);
  }

  @Test
  void spendSpreadGrowingWithFrequencyEndsOnTheRidgeAndIsFlagged() {
    // The model says a customer's mean spend varies less the more purchases it averages (variance
    // ~ 1/(p x)). Here it varies MORE for frequent buyers: customers with x = 1 are squeezed
    // towards 50, the others spread inverse-gamma. The best the model can do is to drop the
    // within-customer variance altogether, i.e. run along the degenerate ridge p -> infinity,
    // gamma -> 0 with p gamma fixed; the likelihood keeps growing there (checked with scipy), so
    // the fit stops at the cap of p and says so.
    org.apache.commons.math3.distribution.GammaDistribution nu =
        new org.apache.commons.math3.distribution.GammaDistribution(new org.apache.commons.math3.random.Well19937c(5), 4, 1);
    List<CustomerSummary> customers = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      int x = 1 + i % 4;
      double spend = 150 / nu.sample();
      customers.add(new CustomerSummary(x, 5, 10, x == 1 ? 50 * Math.sqrt(spend / 50) : spend));
    }
    GammaGammaModel.Fit fit = GammaGammaModel.fit(customers);
    LOG.infof("Gamma-Gamma on ridge data: %s onBoundary=%s", fit.model(), fit.onBoundary());
    assertTrue(fit.onBoundary());
    assertEquals(GammaGammaModel.MAX_P, fit.model().p(), GammaGammaModel.MAX_P * 1e-3);
    // the expectation is still sensible: the customer's own (constant) spend
    assertEquals(50.0, fit.model().expectedAverageValue(3, 50.0), 0.01);
  }

  @Test
  void refusesToFitWithoutRepeatBuyers() {
    assertThrows(IllegalArgumentException.class,
        () -> GammaGammaModel.fit(List.of(CustomerSummary.of(0, 0, 3), new CustomerSummary(1, 1, 3, 20))));
  }
}
