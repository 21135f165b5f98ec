package com.shopcrm.scoring.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

class BgNbdModelTest {

  private static final Logger LOG = Logger.getLogger(BgNbdModelTest.class);

  /** Fader, Hardie &amp; Lee (2005), CDNOW 1/10 sample, weeks. */
  static final BgNbdModel PUBLISHED = new BgNbdModel(0.2426, 4.4136, 0.7929, 2.4259);

  /** The customer of the paper's worked example. */
  static final CustomerSummary EXAMPLE = CustomerSummary.of(2, 30.43, 38.86);

  static void assertWithin(double expected, double actual, double relative, String what) {
    assertEquals(expected, actual, Math.abs(expected) * relative, () -> what + ": expected " + expected + " got " + actual);
  }

  // ------------------------------------------------------------------ CDNOW

  @Test
  void fitsPublishedCdnowParameters() throws Exception {
    Optional<Path> csv = CdnowData.file("cdnow_customers_summary.csv");
    assumeTrue(csv.isPresent(), "CDNOW data set not available");
    List<CustomerSummary> customers = CdnowData.summaries(csv.get());
    assertEquals(2357, customers.size());

    long start = System.nanoTime();
    BgNbdModel.Fit fit = BgNbdModel.fit(customers);
    long millis = (System.nanoTime() - start) / 1_000_000;
    LOG.infof("BG/NBD fit on CDNOW: %d customers in %d distinct rows, %d ms, %d likelihood evaluations: %s LL=%.4f",
        fit.customers(), fit.distinctRows(), millis, fit.evaluations(), fit.model(), fit.logLikelihood());

    assertWithin(0.2426, fit.model().r(), 1e-3, "r");
    assertWithin(4.4136, fit.model().alpha(), 1e-3, "alpha");
    assertWithin(0.7929, fit.model().a(), 1e-3, "a");
    assertWithin(2.4259, fit.model().b(), 1e-3, "b");
    assertWithin(-9582.43, fit.logLikelihood(), 1e-3, "log-likelihood");
    // the maximum is at least as high as at the published (rounded) parameters
    assertTrue(fit.logLikelihood() >= PUBLISHED.logLikelihood(AggregatedSummaries.of(customers)) - 1e-9);
    assertFalse(fit.onBoundary());
    assertEquals(2357, fit.customers());
    assertTrue(fit.distinctRows() < 2357);
    for (double se : fit.logParameterStandardErrors()) {
      assertTrue(se > 0 && se < 1, "standard error of a log-parameter: " + se);
    }
  }

  @Test
  void logLikelihoodAtPublishedParametersMatchesPaper() throws Exception {
    Optional<Path> csv = CdnowData.file("cdnow_customers_summary.csv");
    assumeTrue(csv.isPresent(), "CDNOW data set not available");
    assertEquals(-9582.43, PUBLISHED.logLikelihood(AggregatedSummaries.of(CdnowData.summaries(csv.get()))), 0.01);
  }

  @Test
  void conditionalExpectationMatchesPaperExample() {
    // "1.226 purchases in the next 39 weeks" (Fader, Hardie & Lee 2005, section 4)
    assertEquals(1.226, PUBLISHED.expectedPurchases(39, EXAMPLE), 0.0005);
    assertEquals(1.2259226579870, PUBLISHED.expectedPurchases(39, EXAMPLE), 1e-10); // mpmath
  }

  @Test
  void probabilityAliveMatchesClosedFormAndBayesRule() {
    // 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)) evaluated with mpmath: 0.726614044854
    double alive = PUBLISHED.probabilityAlive(EXAMPLE);
    assertEquals(0.726614044854, alive, 1e-10);
    // the same as the share of the likelihood that has the customer alive at T (terms A3 vs A4)
    double r = PUBLISHED.r();
    double alpha = PUBLISHED.alpha();
    double aliveTerm = Math.pow(alpha + EXAMPLE.age(), -(r + 2));
    double deadTerm = PUBLISHED.a() / (PUBLISHED.b() + 1) * Math.pow(alpha + EXAMPLE.recency(), -(r + 2));
    assertEquals(aliveTerm / (aliveTerm + deadTerm), alive, 1e-12);
    assertEquals(1.0, PUBLISHED.probabilityAlive(CustomerSummary.of(0, 0, 38.86)));
  }

  @Test
  void nextPurchaseQuantitiesAreConsistent() {
    assertEquals(0.270764386363, PUBLISHED.probabilityOfPurchaseWithin(10, EXAMPLE), 1e-10);
    double median = PUBLISHED.medianTimeToNextPurchaseIfAlive(EXAMPLE);
    assertEquals(15.6725726237, median, 1e-8);
    // at the median, half of the alive probability mass has bought
    assertEquals(0.5 * PUBLISHED.probabilityAlive(EXAMPLE), PUBLISHED.probabilityOfPurchaseWithin(median, EXAMPLE), 1e-12);
    double t = PUBLISHED.timeUntilPurchaseProbability(0.5, EXAMPLE).orElseThrow();
    assertEquals(0.5, PUBLISHED.probabilityOfPurchaseWithin(t, EXAMPLE), 1e-12);
    assertTrue(PUBLISHED.timeUntilPurchaseProbability(0.8, EXAMPLE).isEmpty(), "P(alive) 0.73 never reaches 0.8");
  }

  @Test
  void newCustomerExpectationMatchesPaperFormula() {
    // E[X(t)] by mpmath with the published parameters
    assertEquals(1.19504768151, PUBLISHED.expectedPurchasesOfNewCustomer(39), 1e-9);
    assertEquals(1.85802390487, PUBLISHED.expectedPurchasesOfNewCustomer(78), 1e-9);
    // a customer of age 0 is a new customer
    for (double t : new double[] {0.5, 10, 39, 200}) {
      assertEquals(PUBLISHED.expectedPurchasesOfNewCustomer(t),
          PUBLISHED.expectedPurchases(t, CustomerSummary.of(0, 0, 0)), 1e-12);
    }
    // at the start it buys at the mean rate r / alpha
    assertEquals(PUBLISHED.r() / PUBLISHED.alpha(), PUBLISHED.expectedPurchasesOfNewCustomer(1e-4) / 1e-4, 1e-5);
  }

  @Test
  void cohortCurveTracksCdnowRepeatSales() throws Exception {
    Optional<Path> raw = CdnowData.file("CDNOW_sample.txt");
    assumeTrue(raw.isPresent(), "CDNOW data set not available");
    LocalDate origin = LocalDate.of(1997, 1, 1);
    List<Double> firstWeeks = new ArrayList<>();
    long repeatsInCalibration = 0;
    long repeatsTo78 = 0;
    for (List<Purchase> purchases : CdnowData.purchases(raw.get()).values()) {
      List<LocalDate> days = purchases.stream().map(Purchase::day).distinct().sorted().toList();
      firstWeeks.add(ChronoUnit.DAYS.between(origin, days.get(0)) / 7.0);
      repeatsInCalibration += days.stream().filter(d -> !d.isAfter(LocalDate.of(1997, 9, 30))).count() - 1;
      repeatsTo78 += days.size() - 1;
    }
    double[] at = {272 / 7.0, 545 / 7.0}; // 1997-09-30 and 1998-06-30
    double[] curve = PUBLISHED.expectedCumulativeRepeatPurchases(
        firstWeeks.stream().mapToDouble(Double::doubleValue).toArray(), at);
    assertEquals(2494.03343459, curve[0], 1e-5); // mpmath
    assertEquals(4160.75385972, curve[1], 1e-5);
    assertEquals(2457, repeatsInCalibration);
    assertEquals(4339, repeatsTo78);
    // the model tracks actual cumulative repeat sales: 1.5% over in calibration, 4% under at week 78
    assertWithin(repeatsInCalibration, curve[0], 0.02, "calibration");
    assertWithin(repeatsTo78, curve[1], 0.05, "holdout");
  }

  // ------------------------------------------------------------------ always running

  @Test
  void recoversParametersFromSimulatedCustomers() {
    BgNbdModel truth = new BgNbdModel(0.25, 4.0, 0.8, 2.5);
    BtydSimulator sim = new BtydSimulator(20240601L);
    double[] ages = new double[5_000];
    for (int i = 0; i < ages.length; i++) {
      ages[i] = sim.uniform(26, 52);
    }
    List<CustomerSummary> customers = sim.customers(truth, null, ages);
    BgNbdModel.Fit fit = BgNbdModel.fit(customers);
    LOG.infof("BG/NBD recovery, 5,000 simulated customers: truth %s, fit %s, SE(log) %s", truth, fit.model(),
        java.util.Arrays.toString(fit.logParameterStandardErrors()));
    double[] estimate = {fit.model().r(), fit.model().alpha(), fit.model().a(), fit.model().b()};
    double[] actual = {truth.r(), truth.alpha(), truth.a(), truth.b()};
    String[] names = {"r", "alpha", "a", "b"};
    for (int i = 0; i < 4; i++) {
      double se = fit.logParameterStandardErrors()[i];
      double error = Math.abs(Math.log(estimate[i] / actual[i]));
      assertTrue(error < 3 * se, names[i] + " off by " + error + " in log, standard error " + se);
      assertTrue(error < 0.5, names[i] + " off by more than a factor e^0.5: " + estimate[i]);
    }
    AggregatedSummaries data = AggregatedSummaries.of(customers);
    assertTrue(fit.logLikelihood() >= truth.logLikelihood(data), "the MLE beats the truth on its own sample");
  }

  @Test
  void aggregatedLikelihoodEqualsSumOverCustomers() {
    List<CustomerSummary> customers = List.of(
        CustomerSummary.of(0, 0, 30), CustomerSummary.of(0, 0, 30), CustomerSummary.of(2, 10, 30),
        CustomerSummary.of(2, 10, 30), CustomerSummary.of(2, 10, 30), CustomerSummary.of(5, 28.5, 31));
    AggregatedSummaries data = AggregatedSummaries.of(customers);
    assertEquals(3, data.rows());
    assertEquals(6, data.customers());
    double sum = customers.stream().mapToDouble(PUBLISHED::logLikelihood).sum();
    assertEquals(sum, PUBLISHED.logLikelihood(data), 1e-10);
    AggregatedSummaries rows = AggregatedSummaries.ofRows(
        new int[] {0, 2, 5}, new double[] {0, 10, 28.5}, new double[] {30, 30, 31}, new double[] {2, 3, 1});
    assertEquals(6, rows.customers());
    assertEquals(sum, PUBLISHED.logLikelihood(rows), 1e-10);
  }

  @Test
  void singleCustomerLikelihoodMatchesDirectFormula() {
    // L = B(a, b+x)/B(a, b) Gamma(r+x) alpha^r / (Gamma(r) (alpha+T)^(r+x))
    //   + B(a+1, b+x-1)/B(a, b) Gamma(r+x) alpha^r / (Gamma(r) (alpha+t_x)^(r+x))
    double r = 0.5;
    double alpha = 3;
    double a = 1.5;
    double b = 4;
    int x = 3;
    double tx = 12;
    double t = 20;
    BgNbdModel m = new BgNbdModel(r, alpha, a, b);
    double lead = Math.exp(org.apache.commons.math3.special.Gamma.logGamma(r + x)
        - org.apache.commons.math3.special.Gamma.logGamma(r)) * Math.pow(alpha, r);
    double betaAB = org.apache.commons.math3.special.Beta.logBeta(a, b);
    double first = Math.exp(org.apache.commons.math3.special.Beta.logBeta(a, b + x) - betaAB) / Math.pow(alpha + t, r + x);
    double second = Math.exp(org.apache.commons.math3.special.Beta.logBeta(a + 1, b + x - 1) - betaAB)
        / Math.pow(alpha + tx, r + x);
    assertEquals(Math.log(lead * (first + second)), m.logLikelihood(CustomerSummary.of(x, tx, t)), 1e-12);
  }

  @Test
  void expectationsAreContinuousAcrossAEqualsOne() {
    CustomerSummary s = CustomerSummary.of(3, 20, 30);
    double below = new BgNbdModel(0.5, 5, 0.999, 3).expectedPurchases(26, s);
    double at = new BgNbdModel(0.5, 5, 1.0, 3).expectedPurchases(26, s);
    double above = new BgNbdModel(0.5, 5, 1.001, 3).expectedPurchases(26, s);
    assertTrue(Double.isFinite(at));
    assertEquals(0.5 * (below + above), at, 1e-5);
    assertEquals(new BgNbdModel(0.5, 5, 0.999, 3).expectedPurchasesOfNewCustomer(26),
        new BgNbdModel(0.5, 5, 1.0, 3).expectedPurchasesOfNewCustomer(26), 1e-3);
  }

  @Test
  void expectationGrowsWithHorizonAndStaysBelowAliveRate() {
    CustomerSummary frequent = CustomerSummary.of(60, 364, 365);
    BgNbdModel daily = new BgNbdModel(0.25, 30, 0.8, 2.5);
    double previous = 0;
    for (double t : new double[] {1, 7, 30, 90, 365, 3650}) {
      double e = daily.expectedPurchases(t, frequent);
      assertTrue(e > previous, "E[Y(" + t + ")] grows: " + e);
      // never more than the posterior mean rate of an immortal customer times t
      assertTrue(e <= (daily.r() + 60) / (daily.alpha() + 365) * t * (1 + 1e-12));
      previous = e;
    }
  }

  @Test
  void refusesToFitWithoutRepeatBuyers() {
    assertThrows(IllegalArgumentException.class,
        () -> BgNbdModel.fit(List.of(CustomerSummary.of(0, 0, 10), CustomerSummary.of(0, 0, 20))));
    assertThrows(IllegalArgumentException.class, () -> BgNbdModel.fit(List.of()));
  }
}
