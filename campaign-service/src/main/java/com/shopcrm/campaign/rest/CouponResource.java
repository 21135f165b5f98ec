package com.shopcrm.campaign.rest;

import com.shopcrm.campaign.model.CouponRedeemInput;
import com.shopcrm.campaign.model.CouponView;
import com.shopcrm.campaign.service.CouponService;
import com.shopcrm.common.idempotency.IdempotentResult;
import com.shopcrm.common.idempotency.IdempotentWrites;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.common.tenant.TenantContext;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/coupons} (docs/CAMPAIGNS.md "Coupons"): shop checkouts and integrators check and
 * redeem campaign and trigger coupons synchronously. Every role reads; {@code admin},
 * {@code marketer} and {@code integration} redeem.
 */
@Path(CouponResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "coupons")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class CouponResource {

  public static final String PATH = "/api/v1/coupons";

  private final CouponService coupons;
  private final CurrentTenant tenant;
  private final IdempotentWrites idempotent;

  CouponResource(CouponService coupons, CurrentTenant tenant, IdempotentWrites idempotent) {
    this.coupons = coupons;
    this.tenant = tenant;
    this.idempotent = idempotent;
  }

  @GET
  @Path("/{code}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "A coupon: owner, face value, min_spend, status issued | redeemed (and by which order)")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CouponView.class)))
  @APIResponse(responseCode = "404", description = "No such code in the caller's shop (another shop's code too)",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public Uni<CouponView> get(@PathParam("code") String code) {
    return coupons.get(tenant.get(), code);
  }

  @POST
  @Path("/{code}/redeem")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.INTEGRATION})
  @Operation(summary = "Redeem a coupon for an order (exactly once)",
      description = "The code is redeemed once, by its owner, for an order reaching its min_spend; two concurrent "
          + "redemptions of one code: one succeeds, the other is a 409. Redeeming again for the SAME order_no is "
          + "a 200 that changes nothing (and so is the order's later event carrying the code). Every refusal "
          + "changes nothing. A retry with the same Idempotency-Key returns the first answer.")
  @APIResponse(responseCode = "200", description = "Redeemed (now, or earlier by the same order)",
      content = @Content(schema = @Schema(implementation = CouponView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(responseCode = "404", description = "No such code in the caller's shop (another shop's code too)",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "409", description = "type .../coupon-already-redeemed: redeemed by another order; "
      + "type .../coupon-not-owner: customer_id is not the coupon's owner",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "422", description = "type .../coupon-below-min-spend: order_amount below min_spend; "
      + "or the Idempotency-Key was used before with a different request",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public Uni<Response> redeem(@PathParam("code") String code, @Valid @NotNull CouponRedeemInput body,
      @Parameter(description = "Makes retries safe") @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH + "/{code}/redeem",
        Map.of("code", code, "body", body), tx -> coupons.redeem(tx, t, code, body).map(IdempotentResult::ok));
  }
}
