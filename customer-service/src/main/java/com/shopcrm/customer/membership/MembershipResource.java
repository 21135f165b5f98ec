package com.shopcrm.customer.membership;

import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.customer.membership.MembershipModels.MaintenanceInput;
import com.shopcrm.customer.membership.MembershipModels.MaintenanceResult;
import com.shopcrm.customer.membership.MembershipModels.OrderEvent;
import com.shopcrm.customer.membership.MembershipModels.OrderEventResult;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
 * {@code /api/v1/customers/membership}: the tenant's tier programme, the order-event consumer
 * that earns and reverses points, and the maintenance run (expiry, downgrades).
 */
@Path("/api/v1/customers/membership")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "membership")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class MembershipResource {

  private final CurrentTenant tenant;
  private final MembershipService membership;

  MembershipResource(CurrentTenant tenant, MembershipService membership) {
    this.tenant = tenant;
    this.membership = membership;
  }

  @GET
  @Path("/tiers")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "The tier programme (the defaults when the tenant configured none)")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = MembershipProgram.class)))
  public Uni<MembershipProgram> tiers() {
    return membership.program(tenant.get());
  }

  @PUT
  @Path("/tiers")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Replace the tier programme (admin)",
      description = "Members holding a tier code that is no longer configured move to the lowest tier.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = MembershipProgram.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<MembershipProgram> saveTiers(@Valid @NotNull MembershipProgram body) {
    return membership.saveProgram(tenant.get(), body);
  }

  @POST
  @Path("/order-events")
  @RolesAllowed({Roles.ADMIN, Roles.INTEGRATION})
  @Operation(summary = "Consume an order event (idempotent by event_id)",
      description = "order.completed earns floor(total_amount x tier multiplier [x birthday multiplier]) "
          + "[+ first-order bonus] and moves the tier up at once; order.refunded (refunded_amount: cumulative) "
          + "reverses proportionally; other types are acknowledged. A redelivery answers the first result with "
          + "duplicate=true.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = OrderEventResult.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<OrderEventResult> orderEvent(@Valid @NotNull OrderEvent body) {
    return membership.consume(tenant.get(), body);
  }

  @POST
  @Path("/maintenance")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Run points expiry and tier re-evaluation now (also runs daily)")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = MaintenanceResult.class)))
  public Uni<MaintenanceResult> maintenance(@Valid MaintenanceInput body) {
    return membership.maintain(tenant.get().tenantId(), body == null ? null : body.asOf());
  }
}
