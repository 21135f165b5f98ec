package com.shopcrm.customer.membership;

import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.customer.membership.MembershipModels.MembershipView;
import com.shopcrm.customer.membership.MembershipModels.TierChange;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/customers/{id}/membership}: tier, balance, benefits and the history of tier changes. */
@Path("/api/v1/customers/{id}/membership")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "membership")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class CustomerMembershipResource {

  private final CurrentTenant tenant;
  private final MembershipService membership;

  CustomerMembershipResource(CurrentTenant tenant, MembershipService membership) {
    this.tenant = tenant;
    this.membership = membership;
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "The customer's tier, points balance, rolling spend and benefits")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = MembershipView.class)))
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Gone")
  public Uni<MembershipView> get(@PathParam("id") long id) {
    return membership.membership(tenant.get(), id);
  }

  @GET
  @Path("/history")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "Tier changes, newest first")
  @APIResponse(responseCode = "200", description = "{items, next_cursor}")
  @APIResponse(ref = "NotFound")
  public Uni<Page<TierChange>> history(@PathParam("id") long id, @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return membership.tierHistory(tenant.get(), id, PageRequest.parse(limit, cursor));
  }
}
