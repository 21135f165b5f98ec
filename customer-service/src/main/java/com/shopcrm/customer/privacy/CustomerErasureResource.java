package com.shopcrm.customer.privacy;

import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/customers/{id}/erase}: erase a customer everywhere (admin) and follow the request
 * (docs/PRIVACY.md).
 */
@Path("/api/v1/customers/{id}/erase")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "personal data")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class CustomerErasureResource {

  private final CurrentTenant tenant;
  private final PersonalDataService privacy;

  CustomerErasureResource(CurrentTenant tenant, PersonalDataService privacy) {
    this.tenant = tenant;
    this.privacy = privacy;
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Erase a customer's personal data in every service (admin only)",
      description = "customer-service deletes the profile (and profiles merged into it) with identities, tags, "
          + "events, consent, membership, points and tickets, and records the request, in one transaction; then "
          + "order-service pseudonymises the orders (amounts kept for accounting), scoring-service drops scores and "
          + "detaches purchase facts, campaign-service drops the audience profile and clears message texts. Those "
          + "calls are retried with back-off until each service has acknowledged, so the erasure completes even when "
          + "a service is down now. Answers the erasure: 202 while pending, 200 once completed. A repeat changes "
          + "nothing and answers the same erasure.")
  @APIResponse(responseCode = "202", description = "Recorded; some services still to acknowledge. Location: this path",
      content = @Content(schema = @Schema(implementation = ErasureView.class)))
  @APIResponse(responseCode = "200", description = "Every service has acknowledged",
      content = @Content(schema = @Schema(implementation = ErasureView.class)))
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Gone")
  public Uni<Response> erase(@PathParam("id") long id) {
    return privacy.erase(tenant.get(), id).map(requested -> {
      ErasureView view = requested.erasure();
      return Response.status("completed".equals(view.status()) ? 200 : 202)
          .header("Location", "/api/v1/customers/" + id + "/erase") // relative: valid through the gateway
          .entity(view).build();
    });
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.AGENT})
  @Operation(summary = "The erasure of a customer: pending or completed, per service (admin, agent)")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ErasureView.class)))
  @APIResponse(ref = "NotFound")
  public Uni<ErasureView> status(@PathParam("id") long id) {
    return privacy.status(tenant.get(), id);
  }
}
