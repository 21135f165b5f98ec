package com.shopcrm.order.rest;

import static com.shopcrm.common.web.QueryParams.blankToNull;
import static com.shopcrm.common.web.QueryParams.instant;
import static com.shopcrm.common.web.QueryParams.longParam;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.common.idempotency.IdempotentResult;
import com.shopcrm.common.idempotency.IdempotentWrites;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.common.web.RequestIdFilter;
import com.shopcrm.order.model.BatchItemResult;
import com.shopcrm.order.model.OrderFilter;
import com.shopcrm.order.model.OrderInput;
import com.shopcrm.order.model.OrderStatus;
import com.shopcrm.order.model.OrderView;
import com.shopcrm.order.model.RefundInput;
import com.shopcrm.order.model.ReviewInput;
import com.shopcrm.order.model.ReviewView;
import com.shopcrm.order.model.StatusChange;
import com.shopcrm.order.service.OrderIntake;
import com.shopcrm.order.service.OrderIntake.Caller;
import com.shopcrm.order.service.OrderIntake.Created;
import com.shopcrm.order.service.OrderService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.MDC;

/**
 * {@code /api/v1/orders}: orders (one or a batch), lifecycle, refunds and returns, reviews. One class
 * because Quarkus REST routes a path prefix to one resource class; the order events under
 * {@code /api/v1/orders/events} are {@code com.shopcrm.order.events.OrderEventResource}.
 *
 * <p>Roles: every role reads; {@code analyst} is read-only and sees phone and e-mail masked;
 * {@code admin}, {@code marketer}, {@code agent} and {@code integration} write. The tenant comes
 * from the verified internal token and scopes every query.
 */
@Path(OrderResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "orders")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class OrderResource {

  public static final String PATH = "/api/v1/orders";

  private final CurrentTenant tenant;
  private final OrderIntake intake;
  private final OrderService orders;
  private final IdempotentWrites idempotent;
  private final JsonWebToken token;

  OrderResource(CurrentTenant tenant, OrderIntake intake, OrderService orders, IdempotentWrites idempotent,
      JsonWebToken token) {
    this.tenant = tenant;
    this.intake = intake;
    this.orders = orders;
    this.idempotent = idempotent;
    this.token = token;
  }

  /** {@code {"orders": [...]}}: items are read one by one so a bad item fails alone. */
  public record BatchRequest(
      @Schema(type = SchemaType.ARRAY, implementation = OrderInput.class, maxItems = OrderIntake.MAX_BATCH)
      @NotNull @Size(max = OrderIntake.MAX_BATCH) List<JsonNode> orders) {
  }

  // ---------------------------------------------------------------- orders

  @POST
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Create an order",
      description = "The buyer (customer_external_id on customer_platform) is created or matched in "
          + "customer-service; when it cannot be reached the order is stored with customer_pending: true and "
          + "resolved later. The same order_no again with the same content answers 200 with the stored order; "
          + "with other content 409. A retry with the same Idempotency-Key returns the first answer.")
  @APIResponse(responseCode = "201", description = "Created; Location names the order",
      content = @Content(schema = @Schema(implementation = OrderView.class)))
  @APIResponse(responseCode = "200", description = "The order_no exists with the same content: the stored order",
      content = @Content(schema = @Schema(implementation = OrderView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "Conflict")
  @APIResponse(ref = "KeyReused")
  @APIResponse(ref = "PayloadTooLarge")
  public Uni<Response> create(@Valid @NotNull OrderInput body, @Parameter(description = "Makes retries safe")
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    OrderIntake.check(body);
    TenantContext t = tenant.get();
    return intake.resolveBuyers(t, caller(), List.of(body))
        .flatMap(buyers -> idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH, body,
            tx -> intake.storeOne(tx, t, body, buyers).map(outcome -> outcome instanceof Created c
                ? IdempotentResult.created(c.view(), PATH + "/" + c.view().id())
                : IdempotentResult.ok(((OrderIntake.Existing) outcome).view()))));
  }

  @POST
  @Path("/batch")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Create up to 1000 orders",
      description = "Invalid items are reported by index and skipped; the valid ones are written in one "
          + "transaction. Their buyers are resolved with one customer-service call. An order_no already stored "
          + "with the same content is 'existing'; with other content an error.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BatchItemResult.Results.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "KeyReused")
  @APIResponse(ref = "PayloadTooLarge")
  public Uni<Response> batch(@Valid @NotNull BatchRequest body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    OrderIntake.Parsed parsed = intake.parse(body.orders());
    List<OrderInput> valid = parsed.valid().stream().map(OrderIntake.Valid::input).toList();
    return intake.resolveBuyers(t, caller(), valid)
        .flatMap(buyers -> idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH + "/batch", body,
            tx -> intake.storeAll(tx, t, parsed, buyers).map(IdempotentResult::ok)));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "An order with its items, refunds and reviews")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = OrderView.class)))
  @APIResponse(ref = "NotFound")
  public Uni<OrderView> get(@PathParam("id") long id) {
    TenantContext t = tenant.get();
    return orders.get(t, id).map(view -> mask(t, view));
  }

  /** The tenant's orders, oldest first, one cursor page at a time. */
  @GET
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "List orders, oldest first",
      description = "Keyset pagination: pass next_cursor back as cursor. Filters combine with AND; from is "
          + "inclusive and to exclusive on ordered_at.")
  @APIResponse(responseCode = "200", description = "{items, next_cursor}")
  @APIResponse(ref = "BadRequest")
  public Uni<Page<OrderView>> list(
      // read as text so that ?limit=ten is a 400 problem, not a JAX-RS 404; documented as the integer it is
      @Parameter(description = "page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000",
          defaultValue = "50")) @QueryParam("limit") String limit,
      @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
      @QueryParam("customer_external_id") String customerExternalId,
      @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("customer_id") String customerId,
      @Parameter(schema = @Schema(enumeration = {"created", "paid", "shipped", "completed", "cancelled", "refunded",
          "partially_refunded"})) @QueryParam("status") String status,
      @Parameter(description = "ISO-8601 instant with offset, or a date (UTC midnight); inclusive")
      @QueryParam("from") String from,
      @Parameter(description = "ISO-8601 instant with offset, or a date (UTC midnight); exclusive")
      @QueryParam("to") String to,
      @QueryParam("channel") String channel,
      @QueryParam("coupon_code") String couponCode) {
    PageRequest page = PageRequest.parse(limit, cursor);
    OrderFilter filter = new OrderFilter(blankToNull(customerExternalId), longParam("customer_id", customerId),
        statusParam(status), instant("from", from), instant("to", to), blankToNull(channel), blankToNull(couponCode));
    TenantContext t = tenant.get();
    return orders.list(t, filter, page).map(p -> p.map(view -> mask(t, view)));
  }

  // ---------------------------------------------------------------- lifecycle

  @POST
  @Path("/{id}/status")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Move an order along its lifecycle",
      description = "created → paid → shipped → completed; created or paid → cancelled. Refunded states come from "
          + "refunds. The current status again is a no-op. Paid, completed and cancelled emit order events.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = OrderView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  public Uni<OrderView> changeStatus(@PathParam("id") long id, @Valid @NotNull StatusChange body) {
    TenantContext t = tenant.get();
    return orders.changeStatus(t, id, body.status()).map(view -> mask(t, view));
  }

  @POST
  @Path("/{id}/refunds")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Refund money or record a return",
      description = "All refunds of an order together never exceed its total_amount (409 otherwise). The order "
          + "becomes partially_refunded, or refunded when all is returned, and emits order.refunded.")
  @APIResponse(responseCode = "201", description = "{refund, order}",
      content = @Content(schema = @Schema(implementation = OrderService.RefundResult.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  @APIResponse(ref = "KeyReused")
  public Uni<Response> refund(@PathParam("id") long id, @Valid @NotNull RefundInput body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH + "/" + id + "/refunds", body,
        tx -> orders.refund(tx, t, id, body).map(r -> IdempotentResult.created(
            new OrderService.RefundResult(r.refund(), mask(t, r.order())), null)));
  }

  @POST
  @Path("/{id}/reviews")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Record the buyer's review",
      description = "One review per order, and one follow-up (follow_up: true) within 30 days of it; "
          + "anything more is 409.")
  @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = ReviewView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  @APIResponse(ref = "KeyReused")
  public Uni<Response> review(@PathParam("id") long id, @Valid @NotNull ReviewInput body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH + "/" + id + "/reviews", body,
        tx -> orders.review(tx, t, id, body).map(review -> IdempotentResult.created(review, null)));
  }

  // ---------------------------------------------------------------- helpers

  /** The caller's internal token, forwarded to customer-service within this request. */
  private Caller caller() {
    Object requestId = MDC.get(RequestIdFilter.MDC_KEY);
    return new Caller("Bearer " + token.getRawToken(), requestId == null ? null : requestId.toString());
  }

  private static OrderView mask(TenantContext t, OrderView view) {
    return t.seesPii() ? view : view.masked();
  }

  private static OrderStatus statusParam(String value) {
    String text = blankToNull(value);
    if (text == null) {
      return null;
    }
    OrderStatus status = OrderStatus.fromWire(text);
    if (status == null) {
      throw ProblemException.invalid("status", "must be one of " + OrderStatus.wireList());
    }
    return status;
  }
}
