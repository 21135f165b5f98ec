package com.shopcrm.campaign.model;

import com.shopcrm.campaign.model.CampaignInput.Offer;
import com.shopcrm.campaign.model.CampaignInput.Schedule;
import com.shopcrm.campaign.model.CampaignInput.Variant;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A campaign as the API shows it. {@code status}: draft | launched; {@code send_at}: when its
 * messages go out (set at launch, moved out of quiet hours).
 */
public record CampaignView(long id, String name, String goal, long segmentId, List<String> channels,
    List<Variant> variants, int controlPct, int attributionWindowDays, Offer offer,
    Map<String, BigDecimal> costPerMessage, Schedule schedule, String status, OffsetDateTime launchedAt,
    OffsetDateTime sendAt, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  public CampaignInput input() {
    return new CampaignInput(name, goal, segmentId, channels, variants, controlPct, attributionWindowDays, offer,
        costPerMessage, schedule);
  }
}
