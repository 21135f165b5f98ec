package com.shopcrm.campaign.model;

import com.shopcrm.campaign.model.CampaignInput.Offer;
import com.shopcrm.campaign.model.CampaignInput.Schedule;
import com.shopcrm.campaign.model.CampaignInput.Variant;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A campaign as the API shows it. {@code status}: draft | launching | launched, and for a recurring
 * campaign scheduled | completed | stopped; {@code send_at}: when its messages go out (set at launch,
 * moved out of quiet hours). A run of a recurring campaign names it in {@code parent_id}.
 */
public record CampaignView(long id, String name, String goal, long segmentId, List<String> channels,
    List<Variant> variants, int controlPct, int attributionWindowDays, Offer offer,
    Map<String, BigDecimal> costPerMessage, Schedule schedule, BigDecimal budget,
    @Schema(description = "worst-case spend reserved by the launch (by all runs of a recurring campaign)")
    BigDecimal committedCost, String status, OffsetDateTime launchedAt, OffsetDateTime sendAt,
    @Schema(description = "recurring: when the next run starts") OffsetDateTime nextRunAt,
    @Schema(description = "recurring: runs started so far") int runs,
    @Schema(description = "recurring: why it completed (until, max_runs, budget)") String endedReason,
    @Schema(description = "a run of a recurring campaign: the campaign it belongs to") Long parentId,
    Integer runNo, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  public CampaignInput input() {
    return new CampaignInput(name, goal, segmentId, channels, variants, controlPct, attributionWindowDays, offer,
        costPerMessage, schedule, budget);
  }

  /** The budget in force: the campaign's, else the offer's (its former place). */
  public BigDecimal effectiveBudget() {
    return budget != null ? budget : offer == null ? null : offer.budget();
  }
}
