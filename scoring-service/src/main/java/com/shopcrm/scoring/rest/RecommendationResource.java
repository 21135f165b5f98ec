package com.shopcrm.scoring.rest;

import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.scoring.repository.RecommendationRepository.Refreshed;
import com.shopcrm.scoring.service.RecommendationService;
import com.shopcrm.scoring.service.RecommendationService.PicksRequest;
import com.shopcrm.scoring.service.RecommendationService.PicksResult;
import com.shopcrm.scoring.service.RecommendationService.Recommendations;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

/** {@code /api/v1/recommendations}: 猜你喜欢 from item-to-item co-purchase similarity (docs/MODELS.md §8). */
@Path("/api/v1/recommendations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "recommendations")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class RecommendationResource {

  private final CurrentTenant tenant;
  private final RecommendationService recommendations;

  RecommendationResource(CurrentTenant tenant, RecommendationService recommendations) {
    this.tenant = tenant;
    this.recommendations = recommendations;
  }

  @GET
  @Path("/{customer_id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "Products to recommend to a customer",
      description = "SKUs ranked by summed similarity to what the customer bought (reason bought_together), filled "
          + "up with the tenant's best-sellers (reason best_seller); never a SKU the customer bought. Similarities "
          + "are as of the last full scoring run or refresh. limit 1..100 (default 10). 404 when the tenant has no "
          + "order of the customer.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Recommendations.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<Recommendations> get(@PathParam("customer_id") long customerId, @QueryParam("limit") String limit) {
    Integer n = null;
    if (limit != null) {
      try {
        n = Integer.valueOf(limit.trim());
      } catch (NumberFormatException e) {
        throw ProblemException.invalid("limit", "must be a whole number between 1 and " + RecommendationService.MAX_LIMIT);
      }
    }
    return recommendations.forCustomer(tenant.get(), customerId, n);
  }

  @POST
  @Path("/picks")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.INTEGRATION})
  @Operation(summary = "For many customers at once, which of the given products to recommend",
      description = "For new-product campaigns: body {customer_ids (1..1000), products: [{sku, name, category}] "
          + "(1..100; name and category for products not sold yet), limit (1..100, default 3)}. Each customer gets "
          + "up to limit of the products, best first: summed co-purchase similarity to what the customer bought "
          + "(reason bought_together), then the share of the customer's purchases in the product's category "
          + "(same_category), then the given order (new_arrival); never a SKU the customer bought. Every asked "
          + "customer is in the answer, in the order asked (customers without orders get the given order).")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = PicksResult.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<PicksResult> picks(PicksRequest body) {
    return recommendations.picks(tenant.get(), body);
  }

  @POST
  @Path("/refresh")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Recompute the tenant's item similarities and best-sellers now",
      description = "Set-based in the database, in one transaction; every full scoring run does the same.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Refreshed.class)))
  public Uni<Refreshed> refresh() {
    return recommendations.refresh(tenant.get().tenantId());
  }
}
