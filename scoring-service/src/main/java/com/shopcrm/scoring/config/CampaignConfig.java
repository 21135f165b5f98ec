package com.shopcrm.scoring.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * campaign-service, to which scores are pushed ({@code crm.campaign.*}): its read model of
 * profiles ({@code POST /api/v1/segments/profiles/sync}) gets every full run's scores and every
 * incremental rescoring. No URL: nothing is pushed (nor queued).
 */
@ConfigMapping(prefix = "crm.campaign")
public interface CampaignConfig {

  /** campaign-service's base URL ({@code CRM_CAMPAIGN_URL}); empty: the push is off. */
  Optional<URI> url();

  Push push();

  /** The push of scores. */
  interface Push {
    /** How often the pusher looks for scores to send (also how soon after a rescoring they go). */
    @WithDefault("PT1S")
    Duration interval();

    /** Profiles per call (campaign-service takes at most 5000). */
    @WithDefault("5000")
    int batchSize();

    /** Wait after the first failed call of a batch; doubled after each further failure. */
    @WithDefault("PT1S")
    Duration initialBackoff();

    /** The longest wait between attempts. */
    @WithDefault("PT1M")
    Duration maxBackoff();

    @WithDefault("PT2S")
    Duration connectTimeout();

    /** A sync re-evaluates every segment for the batch's customers: allow it time. */
    @WithDefault("PT60S")
    Duration readTimeout();
  }
}
