package com.shopcrm.scoring.rest;

import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.scoring.service.ScoreService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/scores")
@Produces(MediaType.APPLICATION_JSON)
public class ScoreResource {

  private final ScoreService scores;
  private final CurrentTenant tenant;

  ScoreResource(ScoreService scores, CurrentTenant tenant) {
    this.scores = scores;
    this.tenant = tenant;
  }

  /** The customer's latest RFM scores and predictions; 404 until the customer has been scored. */
  @GET
  @Path("/{customer_id}")
  public Uni<ScoreView> get(@PathParam("customer_id") long customerId) {
    return scores.find(tenant.get(), customerId)
        .onItem().ifNull().failWith(() -> ProblemException.notFound("score of customer", customerId))
        .map(ScoreView::of);
  }
}
