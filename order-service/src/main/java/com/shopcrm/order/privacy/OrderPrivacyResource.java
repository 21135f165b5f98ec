package com.shopcrm.order.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.common.privacy.PrivacyRequest;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.order.privacy.OrderPrivacyRepository.Erased;
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
public class OrderPrivacyResource {

  private final CurrentTenant tenant;
  private final OrderPrivacyService privacy;

  OrderPrivacyResource(CurrentTenant tenant, OrderPrivacyService privacy) {
    this.tenant = tenant;
    this.privacy = privacy;
  }

  /** The answer of an erase: the service and how many rows it changed (all 0 on a repeat). */
  public record ErasureView(
      @Schema(description = "order-service") String service,
      @Schema(description = "Orders pseudonymised (amounts kept)") int orders,
      @Schema(description = "Review texts cleared") int reviews,
      @Schema(description = "Refund reasons cleared") int refunds,
      @Schema(description = "Order events stripped of the buyer") int events) {
  }

  @POST
  @Path("/export")
  @RolesAllowed(Roles.INTEGRATION)
  @Operation(summary = "Internal: everything held on a customer (orders, items, refunds, reviews)",
      description = "Service tokens only. Orders resolved to one of customer_ids or naming one of the identities.")
  @APIResponse(responseCode = "200", description = "{\"orders\": [...]}",
      content = @Content(schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
  public Uni<JsonNode> export(@Valid @NotNull PrivacyRequest body) {
    return privacy.export(tenant.service(), body);
  }

  @POST
  @Path("/erase")
  @RolesAllowed(Roles.INTEGRATION)
  @Operation(summary = "Internal: pseudonymise a customer's orders (amounts kept); idempotent",
      description = "Service tokens only. Buyer name, phone, e-mail, province, city, platform id and customer id "
          + "are removed; review texts and refund reasons cleared; order events stripped of the buyer. A repeat "
          + "changes nothing and answers zero counts.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ErasureView.class)))
  public Uni<ErasureView> erase(@Valid @NotNull PrivacyRequest body) {
    return privacy.erase(tenant.service(), body)
        .map((Erased e) -> new ErasureView("order-service", e.orders(), e.reviews(), e.refunds(), e.events()));
  }
}
