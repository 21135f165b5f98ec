package com.shopcrm.campaign.model;

import com.shopcrm.common.problem.Problem.FieldError;
import java.time.OffsetDateTime;
import java.util.List;

/** The small answer bodies of the segment endpoints. */
public final class SegmentResults {

  private SegmentResults() {
  }

  /** {@code GET /segments/{id}/count}. */
  public record Count(long count) {
  }

  /** {@code GET /segments/{id}/preview}. */
  public record Sample(List<AudienceProfileView> items) {
  }

  /** {@code POST /segments/preview}: the live count and a sample, without saving. */
  public record RulePreview(long count, List<AudienceProfileView> sample) {
  }

  /** {@code POST /segments/validate}. */
  public record Validation(boolean valid, List<FieldError> errors) {
  }

  /** One current member of a saved segment. */
  public record Member(long customerId, OffsetDateTime enteredAt) {
  }

  /** Membership changes written by a sync or a refresh. */
  public record MembershipChanges(long entered, long exited) {
    public MembershipChanges plus(MembershipChanges other) {
      return new MembershipChanges(entered + other.entered, exited + other.exited);
    }
  }

  /** {@code POST /segments/{id}/refresh}. */
  public record Refresh(long segmentId, long members, long entered, long exited) {
  }

  /**
   * {@code POST /segments/profiles/sync} and {@code /segments/events/sync}: items received, distinct
   * customers touched, new profiles (new events), profiles removed by {@code deleted: true} items.
   */
  public record SyncResult(int received, int customers, long inserted, long deleted, MembershipChanges membership) {
  }
}
