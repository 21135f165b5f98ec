package com.shopcrm.order.model;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A buyer's review; one follow-up ({@code follow_up: true}) is allowed within 30 days of the first. */
@Schema(name = "ReviewInput")
public record ReviewInput(
    @Schema(required = true, minimum = "1", maximum = "5") @NotNull @Min(1) @Max(5) Integer rating,
    @Size(max = 2000) String text,
    @Schema(description = "true for the one follow-up review") Boolean followUp) {

  public boolean isFollowUp() {
    return Boolean.TRUE.equals(followUp);
  }
}
