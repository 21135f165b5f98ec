package com.shopcrm.scoring.rest;

import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.scoring.service.ScoreService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/scores}: a customer's latest scores and predictions; every role reads. */
@Path("/api/v1/scores")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "scores")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class ScoreResource {

  private final ScoreService scores;
  private final CurrentTenant tenant;

  ScoreResource(ScoreService scores, CurrentTenant tenant) {
    this.scores = scores;
    this.tenant = tenant;
  }

  @GET
  @Path("/{customer_id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "A customer's RFM scores, lifecycle and predictions",
      description = "Raw values and predictions are updated within the order event's request; quintile scores and "
          + "segments come from the latest scoring run (null for a customer first seen after it); model outputs are "
          + "null until a run has fitted the models. 404 until the customer has a counted purchase.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ScoreView.class)))
  @APIResponse(ref = "NotFound")
  public Uni<ScoreView> get(@PathParam("customer_id") long customerId) {
    return scores.find(tenant.get(), customerId)
        .onItem().ifNull().failWith(() -> ProblemException.notFound("score of customer", customerId))
        .map(ScoreView::of);
  }
}
