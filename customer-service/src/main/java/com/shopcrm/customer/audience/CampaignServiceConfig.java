package com.shopcrm.customer.audience;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Where campaign-service answers ({@code crm.campaign.url}, env {@code CRM_CAMPAIGN_URL}); none: the feed is off. */
@ConfigMapping(prefix = "crm.campaign")
public interface CampaignServiceConfig {

  /** Base URL, e.g. {@code http://127.0.0.1:8084}. */
  Optional<String> url();
}
