package com.shopcrm.customer.privacy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Personal-data export and erasure across the services ({@code crm.privacy.*}, docs/PRIVACY.md): where
 * the other services answer, the key customer-service signs its service tokens with, and the erasure
 * relay's pace and back-off.
 */
@ConfigMapping(prefix = "crm.privacy")
public interface PrivacyConfig {

  /** order-service's base URL ({@code CRM_ORDER_URL}). */
  Optional<String> orderUrl();

  /** scoring-service's base URL ({@code CRM_SCORING_URL}). */
  Optional<String> scoringUrl();

  /** campaign-service's base URL ({@code CRM_CAMPAIGN_URL}). */
  Optional<String> campaignUrl();

  /** The internal private key (PKCS#8 PEM, {@code CRM_JWT_PRIVATE_KEY_LOCATION}); none: no calls can be made. */
  Optional<String> privateKeyLocation();

  /** How often the erasure relay runs (a Quarkus duration, or {@code off}); read by {@code @Scheduled}. */
  @WithDefault("2s")
  String relayEvery();

  /** Steps taken per relay transaction. */
  @WithDefault("20")
  int batchSize();

  /** First retry delay after a failed call; doubled per failure up to {@link #retryMax()}. */
  @WithDefault("1s")
  Duration retryInitial();

  @WithDefault("60s")
  Duration retryMax();

  /** Per-call timeout (export and erase calls). */
  @WithDefault("10s")
  Duration timeout();
}
