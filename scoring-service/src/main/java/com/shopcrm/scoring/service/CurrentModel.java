package com.shopcrm.scoring.service;

import com.shopcrm.scoring.model.BgNbdModel;
import com.shopcrm.scoring.model.ClvCalculator;
import com.shopcrm.scoring.model.GammaGammaModel;
import com.shopcrm.scoring.model.ModelTimeUnit;

/**
 * What scores a customer: the models of a run (either may be null: not fitted, e.g. no repeat
 * buyers yet), its time unit, CLV settings, RFM breakpoints (null before any run) and the
 * tenant's typical gap between purchase days (NaN when unknown).
 */
public record CurrentModel(Long runId, ModelTimeUnit unit, BgNbdModel bgnbd, GammaGammaModel gammaGamma,
    ClvCalculator.Settings clv, RfmCuts rfm, double typicalIntervalDays) {

  /** No run yet: raw values and interval-based lifecycle only. */
  public static CurrentModel none(ClvCalculator.Settings clv) {
    return new CurrentModel(null, ModelTimeUnit.DAYS, null, null, clv, null, Double.NaN);
  }
}
