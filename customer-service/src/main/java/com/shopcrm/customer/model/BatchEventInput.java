package com.shopcrm.customer.model;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One event of a bulk call: names its customer by {@code customer_id} or by (platform, external_id). */
public record BatchEventInput(
    @Positive Long customerId,
    @Schema(description = "With external_id; defaults to own_site") Platform platform,
    @Size(min = 1, max = 128) String externalId,
    @Schema(required = true) @NotNull EventType type,
    OffsetDateTime occurredAt,
    Map<String, Object> properties) {
}
