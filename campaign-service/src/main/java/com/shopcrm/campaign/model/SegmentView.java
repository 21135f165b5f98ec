package com.shopcrm.campaign.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A saved segment as the API shows it (snake_case on the wire; the rule as stored).
 *
 * @param references the ids of the segments its rule references directly
 */
public record SegmentView(long id, String name, String description,
    @Schema(implementation = Object.class, description = "rule tree: all / any / not / {field, op, value}")
    JsonNode rule, List<Long> references, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
