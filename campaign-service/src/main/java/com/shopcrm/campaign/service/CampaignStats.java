package com.shopcrm.campaign.service;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Uplift of an arm over the control: the difference of conversion rates, the two-sided p-value
 * of the pooled two-proportion z-test, and the 95% (unpooled, Wald) interval of the difference.
 */
public final class CampaignStats {

  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);
  private static final double Z_975 = NORMAL.inverseCumulativeProbability(0.975);

  private CampaignStats() {
  }

  public record Uplift(double uplift, double pValue, double low, double high) {
  }

  /** {@code null} when either group is empty. */
  public static Uplift uplift(long armConversions, long armRecipients, long controlConversions, long controlRecipients) {
    if (armRecipients == 0 || controlRecipients == 0) {
      return null;
    }
    double p1 = (double) armConversions / armRecipients;
    double p0 = (double) controlConversions / controlRecipients;
    double diff = p1 - p0;
    double pooled = (double) (armConversions + controlConversions) / (armRecipients + controlRecipients);
    double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / armRecipients + 1.0 / controlRecipients));
    double pValue = se == 0 ? 1.0 : 2 * NORMAL.cumulativeProbability(-Math.abs(diff / se));
    double seDiff = Math.sqrt(p1 * (1 - p1) / armRecipients + p0 * (1 - p0) / controlRecipients);
    return new Uplift(diff, pValue, diff - Z_975 * seDiff, diff + Z_975 * seDiff);
  }
}
