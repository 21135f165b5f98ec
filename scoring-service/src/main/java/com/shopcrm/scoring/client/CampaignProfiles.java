package com.shopcrm.scoring.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.scoring.config.CampaignConfig;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * Sends score profiles to campaign-service's read model, one tenant per call, with a token
 * scoring-service signs for that tenant ({@link ServiceTokens}, role integration). A failed call
 * throws; the caller ({@code ScorePusher}) keeps the batch and retries it with back-off, so no
 * retry or circuit breaker here. On only when {@code crm.campaign.url} ({@code CRM_CAMPAIGN_URL})
 * and the internal private key ({@code CRM_JWT_PRIVATE_KEY_LOCATION}) are both configured.
 */
@ApplicationScoped
public class CampaignProfiles {

  private final CampaignServiceClient client;
  private final ServiceTokens tokens;

  CampaignProfiles(CampaignConfig config, ServiceTokens tokens) {
    this.tokens = tokens;
    if (config.url().isPresent() && tokens.available()) {
      this.client = QuarkusRestClientBuilder.newBuilder()
          .baseUri(config.url().get())
          .connectTimeout(config.push().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .readTimeout(config.push().readTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .build(CampaignServiceClient.class);
      Log.infof("scores are pushed to campaign-service at %s", config.url().get());
    } else {
      this.client = null;
      Log.infof("scores are not pushed to campaign-service: %s", config.url().isEmpty()
          ? "no CRM_CAMPAIGN_URL" : "no internal private key (CRM_JWT_PRIVATE_KEY_LOCATION)");
    }
  }

  /** Whether pushing is configured. */
  public boolean enabled() {
    return client != null;
  }

  /**
   * {@code {"profiles": [...]}} for the tenant; answers campaign-service's reply.
   *
   * @throws RuntimeException when the call fails (connection, timeout, any non-2xx status)
   */
  public JsonNode sync(String tenantId, JsonNode body) {
    if (client == null) {
      throw new IllegalStateException("push to campaign-service is not configured");
    }
    String authorization = tokens.authorizationFor(tenantId).orElseThrow();
    return client.syncProfiles(authorization, body);
  }
}
