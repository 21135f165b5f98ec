package com.shopcrm.order.events;

import static com.shopcrm.common.web.QueryParams.blankToNull;
import static com.shopcrm.common.web.QueryParams.instant;
import static com.shopcrm.common.web.QueryParams.longParam;

import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.order.events.EventDeliveryRepository.DeliveryView;
import com.shopcrm.order.events.EventDeliveryService.Redelivery;
import com.shopcrm.order.events.EventDeliveryService.SubscriberStatus;
import com.shopcrm.order.model.OrderEventView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/orders/events}: replay of the tenant's order events (any role), and for admins the
 * delivery state per subscriber, the parked and poison events, and redelivery from a seq. Its own
 * class (the longer path prefix routes here; {@code OrderResource} keeps the orders).
 */
@Path("/api/v1/orders/events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "order events")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class OrderEventResource {

  private static final int MAX = 1000;

  private final CurrentTenant tenant;
  private final EventDeliveryService events;

  OrderEventResource(CurrentTenant tenant, EventDeliveryService events) {
    this.tenant = tenant;
    this.events = events;
  }

  /** {@code {"subscriber": "scoring", "from_seq": 1}}. */
  public record RedeliverRequest(@NotBlank String subscriber, @NotNull @PositiveOrZero Long fromSeq) {
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "Replay the tenant's order events in sequence order",
      description = "Events after after_seq (default 0) and, with from, those that occurred at or after that instant "
          + "(a resync from a point in time: pass from alone first, then next_after_seq back as after_seq with the "
          + "same from). limit default 100, max 1000; next_after_seq is null on the last page.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = OrderEventView.Page.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<OrderEventView.Page> replay(
      @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) @QueryParam("after_seq") String afterSeq,
      @Parameter(description = "ISO-8601 instant with offset, or a date (UTC midnight)") @QueryParam("from")
      String from,
      @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100"))
      @QueryParam("limit") String limit) {
    Long after = longParam("after_seq", afterSeq);
    if (after != null && after < 0) {
      throw ProblemException.invalid("after_seq", "must be 0 or more");
    }
    return events.replay(tenant.get(), after, instant("from", from), limit(limit, 100));
  }

  @GET
  @Path("/subscribers")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Delivery state per subscriber (admin)",
      description = "For the caller's shop: the last event settled (delivered, skipped or parked), the lag (events "
          + "not yet delivered), events parked for retry, poison events, and the last error.")
  @APIResponse(responseCode = "200",
      content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = SubscriberStatus.class)))
  public Uni<List<SubscriberStatus>> subscribers() {
    return events.subscribers(tenant.get());
  }

  @GET
  @Path("/deliveries")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Events parked for retry or refused as poison (admin)",
      description = "status: pending (retried with back-off; the customer's later events wait behind) or poison "
          + "(the subscriber answered a 4xx; skipped). In seq order; page with after_seq.")
  @APIResponse(responseCode = "200",
      content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = DeliveryView.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<List<DeliveryView>> deliveries(@QueryParam("subscriber") String subscriber,
      @Parameter(schema = @Schema(enumeration = {"pending", "poison"})) @QueryParam("status") String status,
      @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) @QueryParam("after_seq") String afterSeq,
      @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100"))
      @QueryParam("limit") String limit) {
    String st = blankToNull(status);
    if (st != null && !st.equals("pending") && !st.equals("poison")) {
      throw ProblemException.invalid("status", "must be pending or poison");
    }
    Long after = longParam("after_seq", afterSeq);
    return events.deliveries(tenant.get(), blankToNull(subscriber), st, after == null ? 0 : after,
        limit(limit, 100));
  }

  @POST
  @Path("/redeliver")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Deliver the shop's events again from a seq on (admin)",
      description = "Moves the shop's cursor for the subscriber back to just before from_seq; its events from there "
          + "are sent again, in order, then delivery goes on as before. Poison records in that range are cleared. "
          + "Consumers dedupe by event_id.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Redelivery.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<Redelivery> redeliver(@Valid @NotNull RedeliverRequest body) {
    return events.redeliver(tenant.get(), body.subscriber().trim(), body.fromSeq());
  }

  // ---------------------------------------------------------------- helpers

  private static int limit(String value, int byDefault) {
    Long size = longParam("limit", value);
    if (size != null && (size < 1 || size > MAX)) {
      throw ProblemException.invalid("limit", "must be between 1 and " + MAX);
    }
    return size == null ? byDefault : size.intValue();
  }
}
