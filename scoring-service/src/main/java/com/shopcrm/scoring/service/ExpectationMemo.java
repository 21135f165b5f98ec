package com.shopcrm.scoring.service;

import com.shopcrm.scoring.model.BgNbdModel;
import com.shopcrm.scoring.model.ClvCalculator;
import com.shopcrm.scoring.model.CustomerSummary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scoring run's memo of E[Y(t) | alive, x, T] for the horizons a score needs (30, 90 and 365
 * days, then the end of each CLV step). These take the Gaussian hypergeometric series, the costly
 * part of a score, and depend on (x, T) only: a million customers share some tens of thousands of
 * (x, T) pairs (T in whole days), so the run computes each pair once. Thread-safe: the run's scoring threads
 * share it (a pair computed by two threads at once gives the same values).
 */
final class ExpectationMemo {

  private final CurrentModel model;
  private final Map<Key, double[]> byXAndAge = new ConcurrentHashMap<>();

  ExpectationMemo(CurrentModel model) {
    this.model = model;
  }

  /** {30 d, 90 d, 365 d, CLV step 1, ..., CLV step K} for the customer's (x, T). */
  double[] ifAlive(CustomerSummary s) {
    return byXAndAge.computeIfAbsent(new Key(s.frequency(), s.age()), k -> compute(model, s));
  }

  /** The same values, computed without a memo. */
  static double[] compute(CurrentModel model, CustomerSummary s) {
    BgNbdModel bg = model.bgnbd();
    ClvCalculator.Settings clv = model.clv();
    double[] out = new double[3 + clv.steps()];
    out[0] = bg.expectedPurchasesIfAlive(model.unit().fromDays(30), s.frequency(), s.age());
    out[1] = bg.expectedPurchasesIfAlive(model.unit().fromDays(90), s.frequency(), s.age());
    out[2] = bg.expectedPurchasesIfAlive(model.unit().fromDays(365), s.frequency(), s.age());
    for (int k = 1; k <= clv.steps(); k++) {
      out[2 + k] = bg.expectedPurchasesIfAlive(model.unit().fromDays(ClvCalculator.stepEndDays(clv, k)),
          s.frequency(), s.age());
    }
    return out;
  }

  private record Key(int frequency, double age) {
  }
}
