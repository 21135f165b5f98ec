package com.shopcrm.scoring.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.common.privacy.PrivacyRequest;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.scoring.privacy.ScoringPrivacyRepository.Erased;
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
public class ScoringPrivacyResource {

  private final CurrentTenant tenant;
  private final ScoringPrivacyService privacy;

  ScoringPrivacyResource(CurrentTenant tenant, ScoringPrivacyService privacy) {
    this.tenant = tenant;
    this.privacy = privacy;
  }

  /** The answer of an erase: the service and how many rows it changed (all 0 on a repeat). */
  public record ErasureView(
      @Schema(description = "scoring-service") String service,
      @Schema(description = "Scores and predictions deleted") int scores,
      @Schema(description = "Purchase facts detached from the customer (kept as anonymous orders in KPIs)")
      int purchaseFacts,
      @Schema(description = "Pending score pushes dropped") int pendingPushes) {
  }

  @POST
  @Path("/export")
  @RolesAllowed(Roles.INTEGRATION)
  @Operation(summary = "Internal: everything held on a customer (scores, predictions, purchase facts)",
      description = "Service tokens only.")
  @APIResponse(responseCode = "200",
      description = "{\"scores\": [...], \"purchase_summaries\": [...], \"purchase_facts\": [...], \"pending_score_push\": bool}",
      content = @Content(schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
  public Uni<JsonNode> export(@Valid @NotNull PrivacyRequest body) {
    return privacy.export(tenant.service(), body);
  }

  @POST
  @Path("/erase")
  @RolesAllowed(Roles.INTEGRATION)
  @Operation(summary = "Internal: erase a customer's scores and detach its purchase facts; idempotent",
      description = "Service tokens only. Scores, predictions and pending pushes are deleted; purchase facts stay as "
          + "anonymous orders (tenant KPIs). A repeat changes nothing and answers zero counts.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ErasureView.class)))
  public Uni<ErasureView> erase(@Valid @NotNull PrivacyRequest body) {
    return privacy.erase(tenant.service(), body)
        .map((Erased e) -> new ErasureView("scoring-service", e.scores(), e.purchaseFacts(), e.pendingPushes()));
  }
}
