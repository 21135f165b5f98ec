package com.shopcrm.customer.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/customers/{id}/export}: everything every service holds on one customer, as one
 * document (docs/PRIVACY.md). {@code admin} and {@code agent} (customer care answers data requests);
 * roles without PII permission ({@code analyst}) and the others get 403: an export is unmasked PII.
 */
@Path("/api/v1/customers/{id}/export")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "personal data")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class CustomerExportResource {

  private final CurrentTenant tenant;
  private final PersonalDataService privacy;

  CustomerExportResource(CurrentTenant tenant, PersonalDataService privacy) {
    this.tenant = tenant;
    this.privacy = privacy;
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.AGENT})
  @Operation(summary = "Export everything held on a customer, across every service (admin, agent)",
      description = "One JSON document: customer_service (profile, merged profiles, identities, tags, events, consent "
          + "and its history, membership, points ledger, spend, tier changes, tickets with timelines), order_service "
          + "(orders with items, refunds, reviews), scoring_service (scores and predictions, purchase summary, "
          + "purchase facts), campaign_service (audience profile and events, segments, campaign recipients, messages, "
          + "deliveries, coupons, conversions, trigger firings). Unmasked. 503 when a service cannot answer: an "
          + "export is complete or not given.")
  @APIResponse(responseCode = "200", description = "The export",
      content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Gone")
  @APIResponse(responseCode = "503", description = "A service could not be reached; try again",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public Uni<JsonNode> export(@PathParam("id") long id) {
    return privacy.export(tenant.get(), id);
  }
}
