package com.shopcrm.campaign.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CampaignStatsTest {

  @Test
  void twoProportionZTestMatchesHandComputedValues() {
    // 5/10 vs 1/10: pooled p = 0.3, se = sqrt(0.3*0.7*(1/10+1/10)) = 0.204939, z = 1.951800,
    // p = 2*(1 - Phi(1.9518)) = erfc(z/sqrt 2) = 0.0509619; Wald CI 0.4 ± 1.96*sqrt(.025+.009)
    CampaignStats.Uplift u = CampaignStats.uplift(5, 10, 1, 10);
    assertEquals(0.4, u.uplift(), 1e-12);
    assertEquals(0.05096193696776335, u.pValue(), 1e-9);
    assertEquals(0.03860049819680128, u.low(), 1e-9);
    assertEquals(0.7613995018031987, u.high(), 1e-9);
    // 30/100 vs 18/100: z = 1.986799, p = 0.0469447 (significant)
    assertEquals(0.04694472697848184, CampaignStats.uplift(30, 100, 18, 100).pValue(), 1e-9);
  }

  @Test
  void noDifferenceWithoutVarianceHasPValueOneAndEmptyGroupsNone() {
    assertEquals(1.0, CampaignStats.uplift(0, 10, 0, 10).pValue());
    assertNull(CampaignStats.uplift(1, 10, 0, 0));
  }
}
