package com.shopcrm.scoring.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LifecycleClassifierTest {

  private final LifecycleClassifier classifier = new LifecycleClassifier();

  private LifecycleStage stage(int purchaseDays, double sinceFirst, double sinceLast, double pAlive, double typical) {
    return classifier.classify(new LifecycleClassifier.Input(purchaseDays, sinceFirst, sinceLast, pAlive, typical));
  }

  @Test
  void customerWithoutOrdersIsProspect() {
    assertEquals(LifecycleStage.PROSPECT, classifier.classify(LifecycleClassifier.Input.prospect()));
    assertEquals("prospect", LifecycleStage.PROSPECT.id());
  }

  @Test
  void singlePurchaseWithinNinetyDaysIsNew() {
    assertEquals(LifecycleStage.NEW, stage(1, 90, 90, 1.0, 20));
    // one day later it is judged on the tenant's typical interval: 91 > 4 * 20 -> churned
    assertEquals(LifecycleStage.CHURNED, stage(1, 91, 91, 1.0, 20));
    // with a longer typical interval (60 days): 91 is within 2 intervals -> active
    assertEquals(LifecycleStage.ACTIVE, stage(1, 91, 91, 1.0, 60));
    assertEquals(LifecycleStage.AT_RISK, stage(1, 130, 130, 1.0, 60)); // > 2 * 60, <= 4 * 60
  }

  @Test
  void pAliveThresholdsDecideAtRiskAndChurned() {
    // own interval: (300 - 10) / 9 = 32.2 days; last purchase 10 days ago
    assertEquals(LifecycleStage.ACTIVE, stage(10, 300, 10, 0.5, Double.NaN));
    assertEquals(LifecycleStage.AT_RISK, stage(10, 300, 10, 0.4999, Double.NaN));
    assertEquals(LifecycleStage.AT_RISK, stage(10, 300, 10, 0.2, Double.NaN));
    assertEquals(LifecycleStage.CHURNED, stage(10, 300, 10, 0.1999, Double.NaN));
  }

  @Test
  void idleTimeAgainstOwnIntervalDecidesWithoutModel() {
    // 5 purchase days over 120 days: interval 30; idle 60 -> active, 61 -> at risk, 121 -> churned
    assertEquals(LifecycleStage.ACTIVE, stage(5, 180, 60, Double.NaN, Double.NaN));
    assertEquals(LifecycleStage.AT_RISK, stage(5, 181, 61, Double.NaN, Double.NaN));
    assertEquals(LifecycleStage.CHURNED, stage(5, 241, 121, Double.NaN, Double.NaN));
  }

  @Test
  void intervalIsNeverShorterThanTheMinimum() {
    // three purchases on consecutive days, then 20 days quiet: interval floored to 14 -> still active
    assertEquals(14.0, classifier.expectedIntervalDays(new LifecycleClassifier.Input(3, 22, 20, 0.9, 30)));
    assertEquals(LifecycleStage.ACTIVE, stage(3, 22, 20, 0.9, 30));
    assertEquals(LifecycleStage.AT_RISK, stage(3, 31, 29, 0.9, 30)); // 29 > 2 * 14
  }

  @Test
  void thresholdsAreConfigurable() {
    LifecycleClassifier strict = new LifecycleClassifier(new LifecycleClassifier.Thresholds(30, 0.7, 0.4, 1.5, 3, 7));
    assertEquals(LifecycleStage.AT_RISK, strict.classify(new LifecycleClassifier.Input(4, 100, 5, 0.6, Double.NaN)));
    assertEquals(LifecycleStage.CHURNED, strict.classify(new LifecycleClassifier.Input(4, 100, 5, 0.3, Double.NaN)));
    assertEquals(LifecycleStage.AT_RISK, strict.classify(new LifecycleClassifier.Input(1, 31, 31, 1.0, 20)));
    assertThrows(IllegalArgumentException.class, () -> new LifecycleClassifier.Thresholds(90, 0.2, 0.5, 2, 4, 14));
  }
}
