package com.shopcrm.campaign.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.campaign.Segment;
import java.time.OffsetDateTime;

/** A segment as the API shows it (snake_case on the wire; the rule as stored). */
public record SegmentView(long id, String name, JsonNode rule, OffsetDateTime createdAt) {

  static SegmentView of(Segment segment) {
    return new SegmentView(segment.id, segment.name, segment.rule, segment.createdAt);
  }
}
