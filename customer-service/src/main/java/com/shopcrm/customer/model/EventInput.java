package com.shopcrm.customer.model;

import jakarta.validation.constraints.NotNull;
import java.time.OffsetDateTime;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A behaviour event of one customer. */
public record EventInput(
    @Schema(required = true) @NotNull EventType type,
    @Schema(description = "When it happened (ISO-8601 with offset); defaults to now") OffsetDateTime occurredAt,
    @Schema(description = "Free JSON object, e.g. {\"sku\": \"A-1\"}") Map<String, Object> properties) {
}
