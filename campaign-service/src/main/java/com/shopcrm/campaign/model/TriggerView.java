package com.shopcrm.campaign.model;

import com.shopcrm.campaign.model.CampaignInput.Message;
import com.shopcrm.campaign.model.CampaignInput.Offer;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A trigger as the API shows it. {@code active_since}: created or last re-enabled; occasions due
 * before it are not fired.
 */
public record TriggerView(long id, String name, String kind, boolean enabled, Integer daysBefore, Integer waitHours,
    Integer waitDays, String lifecycleStage, BigDecimal pAliveBelow, Long segmentId, List<String> channels,
    Message message, Offer offer, OffsetDateTime activeSince, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  public static TriggerView of(long id, TriggerInput in, OffsetDateTime activeSince, OffsetDateTime createdAt,
      OffsetDateTime updatedAt) {
    return new TriggerView(id, in.name(), in.kind(), in.enabledOrDefault(), in.daysBefore(), in.waitHours(),
        in.waitDays(), in.lifecycleStage(), in.pAliveBelow(), in.segmentId(), in.channels(), in.message(), in.offer(),
        activeSince, createdAt, updatedAt);
  }

  public TriggerInput input() {
    return new TriggerInput(name, kind, enabled, daysBefore, waitHours, waitDays, lifecycleStage, pAliveBelow,
        segmentId, channels, message, offer);
  }
}
