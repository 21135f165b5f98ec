package com.shopcrm.customer.rest;

import static com.shopcrm.common.web.QueryParams.blankToNull;
import static com.shopcrm.common.web.QueryParams.instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.common.idempotency.IdempotentResult;
import com.shopcrm.common.idempotency.IdempotentWrites;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.customer.model.BatchResults;
import com.shopcrm.customer.model.ConsentInput;
import com.shopcrm.customer.model.ConsentState;
import com.shopcrm.customer.model.ContactNormalizer;
import com.shopcrm.customer.model.CustomerContacts;
import com.shopcrm.customer.model.CustomerFilter;
import com.shopcrm.customer.model.CustomerInput;
import com.shopcrm.customer.model.CustomerTags;
import com.shopcrm.customer.model.CustomerView;
import com.shopcrm.customer.model.DuplicateView;
import com.shopcrm.customer.model.EventInput;
import com.shopcrm.customer.model.EventType;
import com.shopcrm.customer.model.EventView;
import com.shopcrm.customer.model.MergeRequest;
import com.shopcrm.customer.model.Platform;
import com.shopcrm.customer.model.TagCount;
import com.shopcrm.customer.service.ConsentService;
import com.shopcrm.customer.service.CustomerBatchService;
import com.shopcrm.customer.service.CustomerService;
import com.shopcrm.customer.service.CustomerService.CustomerPatch;
import com.shopcrm.customer.service.EventService;
import com.shopcrm.common.problem.Violations;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/customers}: profiles, identities and merge, bulk upsert, tags, behaviour events
 * and consent. All in one class on purpose: Quarkus REST routes a path to one resource class, and
 * {@code /customers/tags}, {@code /customers/merge}, {@code /customers/{id}/...} share the prefix.
 *
 * <p>Roles: every role reads; {@code analyst} is read-only and sees phone and e-mail masked;
 * {@code admin}, {@code marketer}, {@code agent} and {@code integration} write; only {@code admin}
 * deletes. The tenant comes from the verified internal token and scopes every query.
 */
@Path(CustomerResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "customers")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class CustomerResource {

  public static final String PATH = "/api/v1/customers";

  private final CurrentTenant tenant;
  private final CustomerService customers;
  private final CustomerBatchService batch;
  private final EventService events;
  private final ConsentService consent;
  private final IdempotentWrites idempotent;
  private final ObjectMapper mapper;
  private final Validator validator;

  CustomerResource(CurrentTenant tenant, CustomerService customers, CustomerBatchService batch, EventService events,
      ConsentService consent, IdempotentWrites idempotent, ObjectMapper mapper, Validator validator) {
    this.tenant = tenant;
    this.customers = customers;
    this.batch = batch;
    this.events = events;
    this.consent = consent;
    this.idempotent = idempotent;
    this.mapper = mapper;
    this.validator = validator;
  }

  /** {@code {"customers": [...]}}: items are read one by one so a bad item fails alone. */
  public record BatchRequest(
      @Schema(type = SchemaType.ARRAY, implementation = CustomerInput.class, maxItems = 1000)
      @NotNull @Size(max = CustomerBatchService.MAX_ITEMS) List<JsonNode> customers) {
  }

  /** {@code {"events": [...]}}, each naming its customer by id or by (platform, external_id). */
  public record EventBatchRequest(
      @Schema(type = SchemaType.ARRAY, implementation = com.shopcrm.customer.model.BatchEventInput.class,
          maxItems = 1000)
      @NotNull @Size(max = CustomerBatchService.MAX_ITEMS) List<JsonNode> events) {
  }

  public record DuplicateList(List<DuplicateView> items) {
  }

  public record TagCountList(List<TagCount> items) {
  }

  // ---------------------------------------------------------------- profiles

  @POST
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Create a customer",
      description = "A retry with the same Idempotency-Key returns the first answer and creates nothing.")
  @APIResponse(responseCode = "201", description = "Created; Location names the new customer",
      content = @Content(schema = @Schema(implementation = CustomerView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "Conflict")
  @APIResponse(ref = "KeyReused")
  @APIResponse(ref = "PayloadTooLarge")
  public Uni<Response> create(@Valid @NotNull CustomerInput body, @Parameter(description = "Makes retries safe")
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH, body,
        tx -> customers.create(tx, t, body).map(view -> IdempotentResult.created(view, PATH + "/" + view.id())));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "A customer's profile")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CustomerView.class)))
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Gone")
  public Uni<CustomerView> get(@PathParam("id") long id) {
    TenantContext t = tenant.get();
    return customers.get(t, id).map(view -> mask(t, view));
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Change some fields (JSON merge patch)",
      description = "Fields present are set (null clears), absent ones are kept; attributes merge key by key "
          + "(RFC 7386, null removes a key); tags, when present, replace the set. external_id can be set once.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CustomerView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  @APIResponse(ref = "Gone")
  public Uni<CustomerView> patch(@PathParam("id") long id,
      @Schema(implementation = CustomerInput.class) @NotNull ObjectNode body) throws JsonProcessingException {
    CustomerInput values = mapper.treeToValue(body, CustomerInput.class);
    Set<String> present = new HashSet<>();
    List<ConstraintViolation<CustomerInput>> violations = new ArrayList<>();
    body.fieldNames().forEachRemaining(field -> {
      present.add(field);
      violations.addAll(validator.validateProperty(values, camel(field)));
    });
    if (!violations.isEmpty()) {
      throw Violations.problem(Violations.fieldErrors(violations));
    }
    TenantContext t = tenant.get();
    return customers.patch(t, id, new CustomerPatch(present, values, body.get("attributes")))
        .map(view -> mask(t, view));
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Delete a customer and everything held on it (admin only)")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Gone")
  public Uni<Response> delete(@PathParam("id") long id) {
    return customers.delete(tenant.get(), id).map(ignored -> Response.noContent().build());
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "List customers, newest first",
      description = "Keyset pagination: pass next_cursor back as cursor. q matches the name by case-insensitive "
          + "substring (trigram index: 3+ characters are fast), and phone (digits, +86 ignored), e-mail and "
          + "external id by prefix.")
  @APIResponse(responseCode = "200", description = "{items, next_cursor}")
  @APIResponse(ref = "BadRequest")
  public Uni<Page<CustomerView>> list(
      @Parameter(description = "1..1000, default 50") @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor,
      @QueryParam("tag") String tag,
      @QueryParam("q") String q,
      @QueryParam("province") String province,
      @QueryParam("city") String city,
      @Parameter(description = "ISO-8601 instant with offset, or a date (UTC midnight); inclusive")
      @QueryParam("created_from") String createdFrom,
      @Parameter(description = "ISO-8601 instant with offset, or a date (UTC midnight); exclusive")
      @QueryParam("created_to") String createdTo,
      @Parameter(schema = @Schema(enumeration = {"taobao", "tmall", "jd", "own_site", "offline"}))
      @QueryParam("platform") String platform) {
    PageRequest page = PageRequest.parse(limit, cursor);
    String text = blankToNull(q);
    CustomerFilter filter = new CustomerFilter(blankToNull(tag), text == null ? null : text.toLowerCase(),
        phoneLike(text), blankToNull(province),
        blankToNull(city), instant("created_from", createdFrom), instant("created_to", createdTo),
        Platform.param("platform", platform));
    TenantContext t = tenant.get();
    return customers.list(t, filter, page).map(p -> p.map(view -> mask(t, view)));
  }

  @GET
  @Path("/{id}/duplicates")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "Likely duplicates: live customers with the same normalised phone or e-mail (up to 100)")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = DuplicateList.class)))
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Gone")
  public Uni<DuplicateList> duplicates(@PathParam("id") long id) {
    TenantContext t = tenant.get();
    return customers.duplicates(t, id).map(list -> new DuplicateList(list.stream()
        .map(d -> new DuplicateView(mask(t, d.customer()), d.matchedOn())).toList()));
  }

  @POST
  @Path("/merge")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Fold merged_id into survivor_id",
      description = "In one transaction: tags, events, consent (latest decision per channel), consent history "
          + "and identities (platform + external ids) move to the survivor; its empty fields are filled from the "
          + "merged profile. The points ledger moves too (balances add up), the better membership tier is kept, "
          + "and service tickets are reassigned. Afterwards the merged id answers 410 with merged_into and a "
          + "Location header.")
  @APIResponse(responseCode = "200", description = "The survivor",
      content = @Content(schema = @Schema(implementation = CustomerView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  @APIResponse(ref = "KeyReused")
  public Uni<Response> merge(@Valid @NotNull MergeRequest body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH + "/merge", body,
        tx -> customers.merge(tx, t, body).map(IdempotentResult::ok));
  }

  @POST
  @Path("/batch")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Upsert up to 1000 customers by (platform, external_id)",
      description = "Invalid items are reported by index and skipped; the valid ones are written together. "
          + "For existing customers, given fields overwrite, absent ones are kept, attributes merge and tags are "
          + "added. Lookups follow merges: a merged profile's external id updates the survivor.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BatchResults.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "KeyReused")
  @APIResponse(ref = "PayloadTooLarge")
  public Uni<Response> batch(@Valid @NotNull BatchRequest body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH + "/batch", body,
        tx -> batch.upsert(tx, t, body.customers()).map(IdempotentResult::ok));
  }

  @POST
  @Path("/contacts")
  @RolesAllowed({Roles.ADMIN, Roles.INTEGRATION})
  @Operation(summary = "Phone, e-mail and name of up to 5000 customers (for channel adapters)",
      description = "One query for the caller's tenant. Ids unknown, of another tenant or merged away are simply "
          + "absent from items. consent_* say whether the channel may be used under the tenant's consent model.")
  @APIResponse(responseCode = "200",
      content = @Content(schema = @Schema(implementation = CustomerContacts.Response.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "PayloadTooLarge")
  public Uni<CustomerContacts.Response> contacts(@Valid @NotNull CustomerContacts.Request body) {
    return customers.contacts(tenant.get(), body.customerIds());
  }

  // ---------------------------------------------------------------- tags

  @GET
  @Path("/tags")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "Every tag in use with its number of customers, most used first")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TagCountList.class)))
  public Uni<TagCountList> tagCounts() {
    return customers.tagCounts(tenant.get()).map(TagCountList::new);
  }

  @POST
  @Path("/{id}/tags")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Add tags to a customer (tags already there are kept)")
  @APIResponse(responseCode = "200", description = "All the customer's tags",
      content = @Content(schema = @Schema(implementation = CustomerTags.View.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Gone")
  public Uni<CustomerTags.View> addTags(@PathParam("id") long id, @Valid @NotNull CustomerTags.Request body) {
    return customers.addTags(tenant.get(), id, body.tags());
  }

  @DELETE
  @Path("/{id}/tags/{tag}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Remove a tag from a customer (no-op when absent)")
  @APIResponse(responseCode = "204", description = "Removed")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Gone")
  public Uni<Response> removeTag(@PathParam("id") long id, @PathParam("tag") String tag) {
    return customers.removeTag(tenant.get(), id, tag).map(ignored -> Response.noContent().build());
  }

  // ---------------------------------------------------------------- behaviour events

  @POST
  @Path("/{id}/events")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Record a behaviour event")
  @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = EventView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Gone")
  @APIResponse(ref = "KeyReused")
  public Uni<Response> recordEvent(@PathParam("id") long id, @Valid @NotNull EventInput body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH + "/" + id + "/events", body,
        tx -> events.record(tx, t, id, body).map(view -> IdempotentResult.created(view, null)));
  }

  @POST
  @Path("/events/batch")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Record up to 1000 events, by customer id or by (platform, external_id)",
      description = "Invalid items and unknown customers are reported by index; the rest are written together. "
          + "A merged customer's id or external id records on the survivor.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BatchResults.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "KeyReused")
  public Uni<Response> recordEvents(@Valid @NotNull EventBatchRequest body,
      @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH + "/events/batch", body,
        tx -> events.recordAll(tx, t, body.events()).map(IdempotentResult::ok));
  }

  @GET
  @Path("/{id}/events")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "A customer's events, newest first (by occurred_at)")
  @APIResponse(responseCode = "200", description = "{items, next_cursor}")
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Gone")
  public Uni<Page<EventView>> listEvents(@PathParam("id") long id, @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor,
      @Parameter(schema = @Schema(enumeration = {"view", "favourite", "cart_add", "cart_abandon", "consult",
          "review", "custom"})) @QueryParam("type") String type) {
    PageRequest page = PageRequest.parse(limit, cursor);
    return events.list(tenant.get(), id, eventType(type), page);
  }

  // ---------------------------------------------------------------- consent

  @PUT
  @Path("/{id}/consent")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Grant or revoke consent for one channel; the change is kept in the history")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ConsentState.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Gone")
  public Uni<ConsentState> setConsent(@PathParam("id") long id, @Valid @NotNull ConsentInput body) {
    return consent.set(tenant.get(), id, body);
  }

  @GET
  @Path("/{id}/consent")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "Consent per channel (with contactable under the tenant's model) and its history")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ConsentState.class)))
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Gone")
  public Uni<ConsentState> getConsent(@PathParam("id") long id) {
    return consent.get(tenant.get(), id);
  }

  // ---------------------------------------------------------------- helpers

  private static CustomerView mask(TenantContext t, CustomerView view) {
    return t.seesPii() ? view : view.masked();
  }

  /** snake_case JSON name -> the record component it binds to. */
  private static String camel(String snake) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** The normalised digits of a query that looks like (the start of) a phone number, else null. */
  static String phoneLike(String q) {
    if (q == null || !q.matches("^\\+?[0-9][0-9 ()\\-]*$")) {
      return null;
    }
    return ContactNormalizer.phone(q);
  }

  private static EventType eventType(String value) {
    String text = blankToNull(value);
    if (text == null) {
      return null;
    }
    for (EventType type : EventType.values()) {
      if (type.wire().equals(text)) {
        return type;
      }
    }
    throw new ProblemException(Problem.validation("type: unknown event type",
        List.of(new Problem.FieldError("type", "must be one of view, favourite, cart_add, cart_abandon, consult, "
            + "review, custom"))));
  }
}
