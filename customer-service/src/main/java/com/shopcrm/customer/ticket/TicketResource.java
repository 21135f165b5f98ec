package com.shopcrm.customer.ticket;

import static com.shopcrm.common.web.QueryParams.blankToNull;
import static com.shopcrm.common.web.QueryParams.instant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.common.idempotency.IdempotentResult;
import com.shopcrm.common.idempotency.IdempotentWrites;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.customer.ticket.TicketModels.Category;
import com.shopcrm.customer.ticket.TicketModels.CommentInput;
import com.shopcrm.customer.ticket.TicketModels.KpiReport;
import com.shopcrm.customer.ticket.TicketModels.Priority;
import com.shopcrm.customer.ticket.TicketModels.SatisfactionInput;
import com.shopcrm.customer.ticket.TicketModels.ScanInput;
import com.shopcrm.customer.ticket.TicketModels.ScanResult;
import com.shopcrm.customer.ticket.TicketModels.SlaPolicy;
import com.shopcrm.customer.ticket.TicketModels.Status;
import com.shopcrm.customer.ticket.TicketModels.StatusChange;
import com.shopcrm.customer.ticket.TicketModels.TicketInput;
import com.shopcrm.customer.ticket.TicketModels.TicketPatch;
import com.shopcrm.customer.ticket.TicketModels.TicketView;
import com.shopcrm.customer.ticket.TicketModels.TimelineEntry;
import com.shopcrm.customer.ticket.TicketRepository.TicketFilter;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/customers/tickets}: service tickets, their timeline, SLA policy and scan, KPIs.
 *
 * <p>Roles: {@code agent} and {@code admin} handle tickets; {@code integration} (the shop's
 * frontends) may open tickets, comment and rate on the customer's behalf; {@code marketer} reads;
 * {@code analyst} reads with phone numbers and e-mail addresses masked in the text and cannot write.
 */
@Path("/api/v1/customers/tickets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tickets")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class TicketResource {

  static final String PATH = "/api/v1/customers/tickets";

  private final CurrentTenant tenant;
  private final TicketService tickets;
  private final IdempotentWrites idempotent;

  TicketResource(CurrentTenant tenant, TicketService tickets, IdempotentWrites idempotent) {
    this.tenant = tenant;
    this.tickets = tickets;
    this.idempotent = idempotent;
  }

  @POST
  @RolesAllowed({Roles.ADMIN, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Open a ticket", description = "Due times come from the SLA policy (priority, categories).")
  @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = TicketView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "KeyReused")
  public Uni<Response> create(@Valid @NotNull TicketInput body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH, body,
        tx -> tickets.create(tx, t, body).map(view -> IdempotentResult.created(view, PATH + "/" + view.id())));
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.AGENT, Roles.MARKETER, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "List tickets, newest first, with due times and breach flags")
  @APIResponse(responseCode = "200", description = "{items, next_cursor}")
  @APIResponse(ref = "BadRequest")
  public Uni<Page<TicketView>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
      @Parameter(schema = @Schema(enumeration = {"open", "in_progress", "waiting_customer", "resolved", "closed"}))
      @QueryParam("status") String status,
      @QueryParam("category") String category,
      @Parameter(schema = @Schema(enumeration = {"low", "normal", "high", "urgent"}))
      @QueryParam("priority") String priority,
      @QueryParam("assignee") String assignee,
      @Parameter(description = "true: breached or overdue now; false: within SLA") @QueryParam("breached") String breached,
      @QueryParam("customer_id") String customerId) {
    PageRequest page = PageRequest.parse(limit, cursor);
    TicketFilter filter = new TicketFilter(
        parse("status", status, v -> Status.fromWire(v)),
        parse("category", category, v -> Category.fromWire(v)),
        parse("priority", priority, v -> Priority.fromWire(v)),
        blankToNull(assignee),
        parse("breached", breached, TicketResource::bool),
        parse("customer_id", customerId, Long::valueOf));
    TenantContext t = tenant.get();
    return tickets.list(t, filter, page).map(p -> p.map(v -> mask(t, v)));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.AGENT, Roles.MARKETER, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "One ticket")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TicketView.class)))
  @APIResponse(ref = "NotFound")
  public Uni<TicketView> get(@PathParam("id") long id) {
    TenantContext t = tenant.get();
    return tickets.get(t, id).map(v -> mask(t, v));
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.AGENT})
  @Operation(summary = "Reclassify, reprioritise or (re)assign without changing the status",
      description = "Fields present are set (assignee null unassigns); due times follow the new priority/categories.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TicketView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<TicketView> patch(@PathParam("id") long id,
      @Schema(implementation = TicketPatch.class) @NotNull ObjectNode body) {
    return tickets.patch(tenant.get(), id, body);
  }

  @POST
  @Path("/{id}/status")
  @RolesAllowed({Roles.ADMIN, Roles.AGENT})
  @Operation(summary = "Move along open -> in_progress -> waiting_customer -> resolved -> closed; open again reopens",
      description = "Any other move is a 409.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TicketView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  public Uni<Response> status(@PathParam("id") long id, @Valid @NotNull StatusChange body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH + "/" + id + "/status", body,
        tx -> tickets.changeStatus(tx, t, id, body).map(IdempotentResult::ok));
  }

  @POST
  @Path("/{id}/comments")
  @RolesAllowed({Roles.ADMIN, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Comment (public: visible to the customer); the first public agent comment is the first response")
  @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = TimelineEntry.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<Response> comment(@PathParam("id") long id, @Valid @NotNull CommentInput body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH + "/" + id + "/comments", body,
        tx -> tickets.comment(tx, t, id, body).map(entry -> IdempotentResult.created(entry, null)));
  }

  @GET
  @Path("/{id}/timeline")
  @RolesAllowed({Roles.ADMIN, Roles.AGENT, Roles.MARKETER, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "Everything that happened to the ticket, oldest first",
      description = "visibility=public gives the customer-facing view (no internal notes or assignments).")
  @APIResponse(responseCode = "200", description = "{items, next_cursor}")
  @APIResponse(ref = "NotFound")
  public Uni<Page<TimelineEntry>> timeline(@PathParam("id") long id, @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor,
      @Parameter(schema = @Schema(enumeration = {"all", "public"})) @QueryParam("visibility") String visibility) {
    boolean publicOnly = "public".equals(visibility);
    if (visibility != null && !publicOnly && !"all".equals(visibility)) {
      throw ProblemException.invalid("visibility", "one of all, public");
    }
    TenantContext t = tenant.get();
    return tickets.timeline(t, id, publicOnly, PageRequest.parse(limit, cursor))
        .map(p -> t.seesPii() ? p : p.map(TimelineEntry::masked));
  }

  @POST
  @Path("/{id}/satisfaction")
  @RolesAllowed({Roles.ADMIN, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Rate the handling 1-5 (once, after resolution; otherwise 409)")
  @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = TicketView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  public Uni<Response> satisfaction(@PathParam("id") long id, @Valid @NotNull SatisfactionInput body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH + "/" + id + "/satisfaction", body,
        tx -> tickets.rate(tx, t, id, body).map(view -> IdempotentResult.created(view, null)));
  }

  @GET
  @Path("/sla")
  @RolesAllowed({Roles.ADMIN, Roles.AGENT, Roles.MARKETER, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "The SLA policy (the defaults when the tenant set none)")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SlaPolicy.class)))
  public Uni<SlaPolicy> sla() {
    return tickets.policy(tenant.get());
  }

  @PUT
  @Path("/sla")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Set the SLA policy (admin); applies to tickets opened or reclassified afterwards")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SlaPolicy.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<SlaPolicy> saveSla(@Valid @NotNull SlaPolicy body) {
    return tickets.savePolicy(tenant.get(), body);
  }

  @POST
  @Path("/sla/scan")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Run the overdue scan now (also runs every few minutes)",
      description = "Flags overdue first responses and resolutions and writes one ticket.sla_breached event each "
          + "into the ticket_event outbox.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ScanResult.class)))
  public Uni<ScanResult> scan(@Valid ScanInput body) {
    return tickets.scan(tenant.get().tenantId(), body == null ? null : body.asOf());
  }

  @GET
  @Path("/kpis")
  @RolesAllowed({Roles.ADMIN, Roles.AGENT, Roles.MARKETER, Roles.ANALYST})
  @Operation(summary = "Care KPIs over tickets opened in [from, to)",
      description = "First-response and resolution minutes (avg, p50), breach rate, satisfaction, tickets per 100 "
          + "orders (when orders= is given), overall and by category.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = KpiReport.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<KpiReport> kpis(
      @Parameter(description = "ISO-8601 instant or date (UTC midnight), inclusive; default 30 days ago")
      @QueryParam("from") String from,
      @Parameter(description = "exclusive; default now") @QueryParam("to") String to,
      @Parameter(description = "Orders in the period, for tickets per 100 orders") @QueryParam("orders") String orders) {
    OffsetDateTime end = to == null ? OffsetDateTime.now(ZoneOffset.UTC) : instant("to", to);
    OffsetDateTime start = from == null ? end.minusDays(30) : instant("from", from);
    if (!start.isBefore(end)) {
      throw ProblemException.invalid("from", "must be before to");
    }
    Long orderCount = parse("orders", orders, Long::valueOf);
    if (orderCount != null && orderCount < 0) {
      throw ProblemException.invalid("orders", "must be >= 0");
    }
    return tickets.kpis(tenant.get(), start, end, orderCount);
  }

  // ---------------------------------------------------------------- helpers

  private static TicketView mask(TenantContext t, TicketView view) {
    return t.seesPii() ? view : view.masked();
  }

  private static <T> T parse(String field, String value, java.util.function.Function<String, T> parser) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return parser.apply(value.trim());
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid(field, "not a valid value: '" + value + "'");
    }
  }

  private static Boolean bool(String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(value);
    };
  }
}
