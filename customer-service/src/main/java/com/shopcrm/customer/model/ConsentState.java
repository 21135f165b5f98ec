package com.shopcrm.customer.model;

import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A customer's consent per channel, and the history of changes (newest first). */
public record ConsentState(
    long customerId,
    @Schema(description = "The tenant's consent model; 'implied' (contactable unless opted out) for now") String consentModel,
    List<ChannelState> channels,
    List<Change> history) {

  public record ChannelState(
      Channel channel,
      @Schema(description = "true granted, false revoked, null no decision recorded") Boolean granted,
      @Schema(description = "Whether messages may be sent on this channel under the consent model") boolean contactable,
      String source,
      OffsetDateTime updatedAt) {
  }

  public record Change(Channel channel, boolean granted, String source, OffsetDateTime recordedAt) {
  }
}
