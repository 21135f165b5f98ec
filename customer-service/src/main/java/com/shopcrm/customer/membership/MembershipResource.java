package com.shopcrm.customer.membership;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.problem.Violations;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.customer.membership.MembershipModels.MaintenanceInput;
import com.shopcrm.customer.membership.MembershipModels.MaintenanceResult;
import com.shopcrm.customer.membership.MembershipModels.OrderEvent;
import com.shopcrm.customer.membership.MembershipModels.OrderEventBatch;
import com.shopcrm.customer.membership.MembershipModels.OrderEventResult;
import com.shopcrm.customer.membership.MembershipModels.OrderEventResults;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
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
  private final ObjectMapper mapper;
  private final Validator validator;

  MembershipResource(CurrentTenant tenant, MembershipService membership, ObjectMapper mapper, Validator validator) {
    this.tenant = tenant;
    this.membership = membership;
    this.mapper = mapper;
    this.validator = validator;
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
  @Operation(summary = "Consume an order event, or a batch of them (idempotent by event_id)",
      description = "order.completed earns floor(total_amount x tier multiplier [x birthday multiplier]) "
          + "[+ first-order bonus] and moves the tier up at once; order.refunded (refunded_amount: cumulative) "
          + "reverses proportionally; other types are acknowledged. A redelivery answers the first result with "
          + "duplicate=true. {events: [...]} (at most 1000, one tenant) applies them in order in one transaction "
          + "and answers {results: [...]}; any invalid event rejects the batch whole (400 naming events[i]), "
          + "any failing event fails it whole (nothing applied).")
  @RequestBody(required = true, content = @Content(schema = @Schema(oneOf = {OrderEvent.class, OrderEventBatch.class})))
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(
      oneOf = {OrderEventResult.class, OrderEventResults.class})))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<Object> orderEvent(JsonNode body) {
    if (body != null && body.isObject() && body.has("events")) {
      List<OrderEvent> events = batch(body.get("events"));
      return membership.consumeAll(tenant.get(), events).map(OrderEventResults::new);
    }
    return membership.consume(tenant.get(), event(body, "")).map(r -> r);
  }

  /** The events of a batch, each read and validated like a single one; every error names its events[i]. */
  private List<OrderEvent> batch(JsonNode events) {
    if (events == null || !events.isArray() || events.isEmpty() || events.size() > OrderEventBatch.MAX_EVENTS) {
      throw ProblemException.invalid("events", "must be an array of 1 to " + OrderEventBatch.MAX_EVENTS + " events");
    }
    List<OrderEvent> out = new ArrayList<>(events.size());
    List<Problem.FieldError> errors = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      try {
        out.add(event(events.get(i), "events[" + i + "]."));
      } catch (ProblemException e) {
        List<Problem.FieldError> each = e.problem().errors();
        errors.addAll(each == null || each.isEmpty()
            ? List.of(new Problem.FieldError("events[" + i + "]", e.problem().detail())) : each);
      }
    }
    if (!errors.isEmpty()) {
      throw Violations.problem(errors);
    }
    return out;
  }

  /** One event as the single-event body takes it: strict JSON (unknown fields refused), then validated. */
  private OrderEvent event(JsonNode node, String prefix) {
    if (node == null || !node.isObject()) {
      throw ProblemException.invalid(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
          "must be a JSON object");
    }
    OrderEvent event;
    try {
      event = mapper.treeToValue(node, OrderEvent.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      Problem.FieldError error = Violations.readError(e);
      throw Violations.problem(List.of(new Problem.FieldError(prefix + error.field(), error.message())));
    }
    List<Problem.FieldError> errors = Violations.fieldErrors(validator.validate(event)).stream()
        .map(e -> new Problem.FieldError(prefix + e.field(), e.message())).toList();
    if (!errors.isEmpty()) {
      throw Violations.problem(errors);
    }
    return event;
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
