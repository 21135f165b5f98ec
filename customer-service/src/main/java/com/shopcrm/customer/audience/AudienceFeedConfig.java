package com.shopcrm.customer.audience;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The audience feed to campaign-service ({@code crm.audience-feed.*}; the target is
 * {@link CampaignServiceConfig}). Defaults suit production; tests shorten the back-off.
 */
@ConfigMapping(prefix = "crm.audience-feed")
public interface AudienceFeedConfig {

  /** How often the relay runs (a Quarkus duration, or {@code off}); read by {@code @Scheduled}. */
  @WithDefault("1s")
  String every();

  /** Outbox rows taken per batch; campaign-service takes at most 5000 items per call. */
  @WithDefault("5000")
  int batchSize();

  /** Bodies are split so none is larger than this (campaign-service refuses bodies over 8 MB). */
  @WithDefault("4000000")
  int maxBodyBytes();

  /** First retry delay after a failed delivery; doubled per failure up to {@link #retryMax()}. */
  @WithDefault("1s")
  Duration retryInitial();

  @WithDefault("60s")
  Duration retryMax();

  /** Per-call timeout. */
  @WithDefault("30s")
  Duration timeout();

  /** Work done per run before the relay yields to the next run. */
  @WithDefault("20s")
  Duration maxRunTime();

  /**
   * The internal private key (PKCS#8 PEM, {@code CRM_JWT_PRIVATE_KEY_LOCATION}) the relay signs its
   * own service token with; none: the feed is off.
   */
  Optional<String> privateKeyLocation();
}
