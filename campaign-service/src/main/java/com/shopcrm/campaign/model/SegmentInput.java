package com.shopcrm.campaign.model;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /segments} and {@code PUT /segments/{id}}: a name, a rule and an optional description. */
public record SegmentInput(
    @NotBlank @Size(max = 200) String name,
    @NotNull @Schema(implementation = Object.class,
        description = "{\"all\": [...]} | {\"any\": [...]} | {\"not\": {...}} | {\"field\", \"op\", \"value\"}")
    JsonNode rule,
    @Size(max = 2000) String description) {
}
