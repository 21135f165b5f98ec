package com.shopcrm.customer.membership;

import com.shopcrm.common.idempotency.IdempotentResult;
import com.shopcrm.common.idempotency.IdempotentWrites;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.customer.membership.MembershipModels.AdjustInput;
import com.shopcrm.customer.membership.MembershipModels.EntryKind;
import com.shopcrm.customer.membership.MembershipModels.LedgerEntry;
import com.shopcrm.customer.membership.MembershipModels.PointsChange;
import com.shopcrm.customer.membership.MembershipModels.RedeemInput;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/customers/{id}/points}: the ledger, redemptions and adjustments. */
@Path("/api/v1/customers/{id}/points")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "membership")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class CustomerPointsResource {

  private final CurrentTenant tenant;
  private final MembershipService membership;
  private final IdempotentWrites idempotent;

  CustomerPointsResource(CurrentTenant tenant, MembershipService membership, IdempotentWrites idempotent) {
    this.tenant = tenant;
    this.membership = membership;
    this.idempotent = idempotent;
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "The points ledger, newest first")
  @APIResponse(responseCode = "200", description = "{items, next_cursor}")
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<Page<LedgerEntry>> ledger(@PathParam("id") long id, @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor,
      @Parameter(schema = @Schema(type = SchemaType.STRING,
          enumeration = {"earn", "reverse", "redeem", "adjust", "expire"})) @QueryParam("kind") String kind) {
    return membership.ledger(tenant.get(), id, kind(kind), PageRequest.parse(limit, cursor));
  }

  @POST
  @Path("/redeem")
  @RolesAllowed({Roles.ADMIN, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Redeem points", description = "409 problem when the balance is short; a retry with the "
      + "same Idempotency-Key answers the first result and takes nothing more.")
  @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = PointsChange.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  @APIResponse(ref = "KeyReused")
  public Uni<Response> redeem(@PathParam("id") long id, @Valid @NotNull RedeemInput body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST /api/v1/customers/" + id + "/points/redeem", body,
        tx -> membership.redeem(tx, t, id, body, idempotencyKey).map(change -> IdempotentResult.created(change, null)));
  }

  @POST
  @Path("/adjust")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Adjust points by hand (admin), with a reason; may be negative, never below 0 (409)")
  @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = PointsChange.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  @APIResponse(ref = "KeyReused")
  public Uni<Response> adjust(@PathParam("id") long id, @Valid @NotNull AdjustInput body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST /api/v1/customers/" + id + "/points/adjust", body,
        tx -> membership.adjust(tx, t, id, body, idempotencyKey).map(change -> IdempotentResult.created(change, null)));
  }

  private static EntryKind kind(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return EntryKind.fromWire(value.trim());
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("kind", "one of earn, reverse, redeem, adjust, expire");
    }
  }
}
