package com.shopcrm.campaign.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How campaigns launch ({@code crm.campaign.launch.*}, docs/CAMPAIGNS.md "Launch"). */
@ConfigMapping(prefix = "crm.campaign.launch")
public interface LaunchConfig {

  /**
   * Audiences of up to this many profiles are frozen inside the launch request (the answer carries
   * the counts); larger ones answer {@code launching} at once and are frozen in the background.
   */
  @WithDefault("10000")
  int inlineMax();

  /**
   * How often campaigns left {@code launching} by a stopped process are launched again (a Quarkus
   * duration, or {@code off}); read by {@code @Scheduled}.
   */
  @WithDefault("30s")
  String resumeEvery();
}
