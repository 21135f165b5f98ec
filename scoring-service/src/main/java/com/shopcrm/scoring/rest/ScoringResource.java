package com.shopcrm.scoring.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.common.idempotency.IdempotentWrites;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.scoring.repository.ResyncRepository.ResyncView;
import com.shopcrm.scoring.service.OrderEventService;
import com.shopcrm.scoring.service.ResyncService;
import com.shopcrm.scoring.service.RunView;
import com.shopcrm.scoring.service.ScoringRunService;
import com.shopcrm.scoring.service.ScoringRunService.RunRequest;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
 * {@code /api/v1/scoring}: scoring runs (fit BG/NBD + Gamma-Gamma, score every customer), the
 * order-event consumer that keeps the purchase facts and scores current, and the resync from
 * order-service. Roles: every role reads runs; {@code admin} and {@code marketer} start runs;
 * {@code integration} and {@code admin} deliver events; {@code admin} resyncs.
 */
@Path(ScoringResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "scoring")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class ScoringResource {

  public static final String PATH = "/api/v1/scoring";

  /** {@code POST /resync} body. */
  public record ResyncRequest(Long afterSeq) {
  }

  private final CurrentTenant tenant;
  private final ScoringRunService runs;
  private final OrderEventService events;
  private final ResyncService resync;

  ScoringResource(CurrentTenant tenant, ScoringRunService runs, OrderEventService events, ResyncService resync) {
    this.tenant = tenant;
    this.runs = runs;
    this.events = events;
    this.resync = resync;
  }

  @POST
  @Path("/runs")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Start a scoring run",
      description = "Fits BG/NBD and Gamma-Gamma on the purchase days up to calibration_end (default: as_of, default "
          + "today in the shop's time zone) in time_unit (days|weeks, default days), then scores every customer as of "
          + "as_of. With calibration_end before as_of the run reports the holdout. Poll the job.")
  @APIResponse(responseCode = "202", description = "{id, status}")
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "KeyReused")
  public Uni<Response> startRun(RunRequest body, @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    return runs.start(tenant.get(), body, idempotencyKey, PATH + "/runs");
  }

  @GET
  @Path("/runs/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "A scoring run: status, counts, fitted models, holdout report")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RunView.class)))
  @APIResponse(ref = "NotFound")
  public Uni<RunView> getRun(@PathParam("id") long id) {
    return runs.get(tenant.get(), id).onItem().ifNull().failWith(() -> ProblemException.notFound("scoring run", id));
  }

  @POST
  @Path("/order-events")
  @RolesAllowed({Roles.ADMIN, Roles.INTEGRATION})
  @Operation(summary = "Deliver order events (order-service's dispatcher)",
      description = "One event {event_id, type, customer_id, customer_external_id, order_no, occurred_at, payload} "
          + "or {events: [...]} (at most 1000), payload = the order view. Idempotent by event_id; an event older than "
          + "the order's stored state is ignored; unknown fields are ignored. Touched customers are rescored within "
          + "the call. A batch with any invalid event is rejected whole (400 listing each).")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(
      implementation = OrderEventService.EventResult.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<OrderEventService.EventResult> orderEvents(JsonNode body) {
    return events.apply(tenant.get(), body);
  }

  @POST
  @Path("/resync")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Backfill the purchase facts from order-service's event replay",
      description = "Pages GET /api/v1/orders/events from after_seq (default 0) and applies them idempotently.")
  @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation = ResyncView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "Unavailable")
  public Uni<Response> startResync(ResyncRequest body) {
    long after = body == null || body.afterSeq() == null ? 0 : body.afterSeq();
    if (after < 0) {
      throw ProblemException.invalid("after_seq", "must be 0 or more");
    }
    return resync.start(tenant.get(), after).map(job -> Response.accepted(job)
        .header("Location", PATH + "/resync/" + job.id()).build());
  }

  @GET
  @Path("/resync/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "A resync job")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ResyncView.class)))
  @APIResponse(ref = "NotFound")
  public Uni<ResyncView> getResync(@PathParam("id") long id) {
    return resync.get(tenant.get(), id).onItem().ifNull().failWith(() -> ProblemException.notFound("resync job", id));
  }
}
