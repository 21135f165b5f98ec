package com.shopcrm.campaign.rest;

import com.shopcrm.common.problem.Problem;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The error answers every endpoint refers to in the OpenAPI document (all RFC 9457 problem+json). */
@OpenAPIDefinition(
    info = @Info(title = "Shop CRM campaign-service", version = "1.0"),
    components = @Components(responses = {
        @APIResponse(name = "BadRequest", responseCode = "400",
            description = "Invalid input: unknown field, wrong type, invalid rule (errors[] names each place, "
                + "e.g. rule.all[1].any[0].op)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(name = "Unauthorized", responseCode = "401", description = "No valid internal token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(name = "Forbidden", responseCode = "403", description = "The caller's role may not do this",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(name = "NotFound", responseCode = "404",
            description = "No such segment, campaign, trigger or coupon in the caller's tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(name = "Conflict", responseCode = "409",
            description = "Conflicts with existing data (e.g. the segment is referenced by another)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
        @APIResponse(name = "PayloadTooLarge", responseCode = "413", description = "Body over the size limit"),
        @APIResponse(name = "KeyReused", responseCode = "422",
            description = "The Idempotency-Key was used before with a different request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    }))
public class CampaignApi extends Application {
}
