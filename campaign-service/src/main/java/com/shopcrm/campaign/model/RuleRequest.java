package com.shopcrm.campaign.model;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /segments/preview} and {@code /segments/validate}: a rule not (yet) saved. */
public record RuleRequest(@NotNull @Schema(implementation = Object.class) JsonNode rule) {
}
