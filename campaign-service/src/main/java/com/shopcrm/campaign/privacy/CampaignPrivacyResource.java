package com.shopcrm.campaign.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.campaign.privacy.CampaignPrivacyService.Erased;
import com.shopcrm.common.privacy.PrivacyRequest;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/privacy/customers}: internal endpoints customer-service calls to export and erase one
 * customer's data here (docs/PRIVACY.md). Service tokens only ({@code sub} = {@code service:...},
 * role {@code integration}); the tenant comes from the token. Not routed by the gateway.
 */
@Path("/api/v1/privacy/customers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "privacy (internal)")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
@APIResponse(ref = "BadRequest")
public class CampaignPrivacyResource {

  private final CurrentTenant tenant;
  private final CampaignPrivacyService privacy;

  CampaignPrivacyResource(CurrentTenant tenant, CampaignPrivacyService privacy) {
    this.tenant = tenant;
    this.privacy = privacy;
  }

  /** The answer of an erase: the service and how many rows it changed (all 0 on a repeat). */
  public record ErasureView(
      @Schema(description = "campaign-service") String service,
      @Schema(description = "Audience read-model profiles removed") long profiles,
      @Schema(description = "Message subjects and bodies cleared") int messages,
      @Schema(description = "Local deliveries cleared") int deliveries,
      @Schema(description = "Queued messages cancelled (failed: customer erased)") int cancelled) {
  }

  @POST
  @Path("/export")
  @RolesAllowed(Roles.INTEGRATION)
  @Operation(summary = "Internal: everything held on a customer (read model, segments, campaign recipients, "
      + "messages, deliveries, coupons, conversions, trigger firings)", description = "Service tokens only.")
  @APIResponse(responseCode = "200", description = "One object, a list per kind of record",
      content = @Content(schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
  public Uni<JsonNode> export(@Valid @NotNull PrivacyRequest body) {
    return privacy.export(tenant.service(), body);
  }

  @POST
  @Path("/erase")
  @RolesAllowed(Roles.INTEGRATION)
  @Operation(summary = "Internal: remove a customer from the audience and clear its messages; idempotent",
      description = "Service tokens only. The read-model profile, events, trigger state and segment memberships "
          + "go (as for a deleted customer); message subjects and bodies are cleared and queued messages cancelled; "
          + "recipients, coupons, conversions and firings stay under the bare id so reports do not change. A "
          + "repeat changes nothing and answers zero counts.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ErasureView.class)))
  public Uni<ErasureView> erase(@Valid @NotNull PrivacyRequest body) {
    return privacy.erase(tenant.service(), body)
        .map((Erased e) -> new ErasureView("campaign-service", e.profiles(), e.messages(), e.deliveries(), e.cancelled()));
  }
}
