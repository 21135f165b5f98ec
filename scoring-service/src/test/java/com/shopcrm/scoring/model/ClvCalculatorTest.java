package com.shopcrm.scoring.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Reference values: the documented sum evaluated independently with mpmath (30 digits) for the
 * published CDNOW models (weeks): sum over k = 1..12 of E[Z] (E[Y(k 365/12/7)] - E[Y((k-1) 365/12/7)])
 * / 1.1^(k/12).
 */
class ClvCalculatorTest {

  private final ClvCalculator clv =
      new ClvCalculator(BgNbdModelTest.PUBLISHED, GammaGammaModelTest.PUBLISHED, ModelTimeUnit.WEEKS);

  @Test
  void matchesHandComputedDiscountedSum() {
    assertEquals(36.7256376366, clv.predictedClv(new CustomerSummary(2, 30.43, 38.86, 22.35)), 1e-8);
    assertEquals(417.357502892, clv.predictedClv(new CustomerSummary(10, 35, 36, 50)), 1e-7);
  }

  @Test
  void oneOffBuyerIsValuedAtPopulationMeanSpend() {
    // E[Z] = p gamma / (q - 1) = 35.2189781022, times the discounted expected purchases
    assertEquals(8.45946957463, clv.predictedClv(CustomerSummary.of(0, 0, 38.86)), 1e-9);
  }

  @Test
  void undiscountedValueIsExpectedPurchasesTimesExpectedSpend() {
    CustomerSummary s = new CustomerSummary(2, 30.43, 38.86, 22.35);
    double oneStep = clv.predictedClv(s, new ClvCalculator.Settings(365, 0.0, 1));
    assertEquals(24.6637139108 * 1.56210303868, oneStep, 1e-8);
    // without discounting the per-step differences telescope: the step count does not matter
    assertEquals(oneStep, clv.predictedClv(s, new ClvCalculator.Settings(365, 0.0, 12)), 1e-10);
    // discounting lowers it, more so at a higher rate
    double tenPercent = clv.predictedClv(s);
    double twentyPercent = clv.predictedClv(s, new ClvCalculator.Settings(365, 0.2, 12));
    assertTrue(twentyPercent < tenPercent && tenPercent < oneStep);
    // every purchase is discounted by at most 1.1^1 and at least 1.1^(1/12)
    assertTrue(tenPercent > oneStep / 1.1 && tenPercent < oneStep / Math.pow(1.1, 1.0 / 12));
  }

  @Test
  void daysAndWeeksModelsAgree() {
    // the same model expressed in days (alpha in days) gives the same CLV for the same customer
    BgNbdModel weeks = BgNbdModelTest.PUBLISHED;
    BgNbdModel days = new BgNbdModel(weeks.r(), weeks.alpha() * 7, weeks.a(), weeks.b());
    ClvCalculator inDays = new ClvCalculator(days, GammaGammaModelTest.PUBLISHED, ModelTimeUnit.DAYS);
    CustomerSummary w = new CustomerSummary(2, 30.43, 38.86, 22.35);
    CustomerSummary d = new CustomerSummary(2, 30.43 * 7, 38.86 * 7, 22.35);
    assertEquals(clv.predictedClv(w), inDays.predictedClv(d), 1e-9);
    assertEquals(clv.expectedPurchasesInDays(w, 90), inDays.expectedPurchasesInDays(d, 90), 1e-12);
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThrows(IllegalArgumentException.class, () -> new ClvCalculator.Settings(0, 0.1, 12));
    assertThrows(IllegalArgumentException.class, () -> new ClvCalculator.Settings(365, -1, 12));
    assertThrows(IllegalArgumentException.class, () -> new ClvCalculator.Settings(365, 0.1, 0));
  }
}
