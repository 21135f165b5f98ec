package com.shopcrm.campaign.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.campaign.model.RuleRequest;
import com.shopcrm.campaign.model.SegmentInput;
import com.shopcrm.campaign.model.SegmentResults.Count;
import com.shopcrm.campaign.model.SegmentResults.Member;
import com.shopcrm.campaign.model.SegmentResults.Refresh;
import com.shopcrm.campaign.model.SegmentResults.RulePreview;
import com.shopcrm.campaign.model.SegmentResults.Sample;
import com.shopcrm.campaign.model.SegmentResults.SyncResult;
import com.shopcrm.campaign.model.SegmentResults.Validation;
import com.shopcrm.campaign.model.SegmentView;
import com.shopcrm.campaign.service.AudienceSyncService;
import com.shopcrm.campaign.service.SegmentService;
import com.shopcrm.common.idempotency.IdempotentResult;
import com.shopcrm.common.idempotency.IdempotentWrites;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.Problem.FieldError;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.common.tenant.TenantContext;
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
import java.util.Comparator;
import java.util.Iterator;
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
 * {@code /api/v1/segments}: saved segments (rule trees, ARCHITECTURE §4), their count, preview and
 * live membership, and the ingest endpoints that feed the audience read model (docs/SEGMENTS.md).
 *
 * <p>Roles: every role reads; {@code admin} and {@code marketer} write segments ({@code analyst}
 * may also preview and validate rules); {@code admin} and {@code integration} feed the read model.
 */
@Path(SegmentResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "segments")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class SegmentResource {

  public static final String PATH = "/api/v1/segments";
  private static final Set<String> PATCHABLE = Set.of("name", "rule", "description");

  private final SegmentService segments;
  private final AudienceSyncService sync;
  private final CurrentTenant tenant;
  private final IdempotentWrites idempotent;
  private final Validator validator;

  SegmentResource(SegmentService segments, AudienceSyncService sync, CurrentTenant tenant,
      IdempotentWrites idempotent, Validator validator) {
    this.segments = segments;
    this.sync = sync;
    this.tenant = tenant;
    this.idempotent = idempotent;
    this.validator = validator;
  }

  /** {@code {"profiles": [...]}}: partial profiles, each with customer_id and any read-model fields. */
  public record ProfileSyncRequest(
      @Schema(type = SchemaType.ARRAY, maxItems = AudienceSyncService.MAX_ITEMS,
          description = "{customer_id, external_id?, name?, gender?, birthday?, province?, city?, platform?, "
              + "age_band?, created_at?, tags?, consent_sms?, consent_email?, consent_app?, points_balance?, tier?, "
              + "rfm_segment?, rfm11?, lifecycle_stage?, p_alive?, predicted_clv_365d?, frequency?, monetary?, "
              + "recency_days?, last_order_at?, expected_next_order_at?}; only the fields present are set "
              + "(null clears). {customer_id, deleted: true} (nothing else) removes a deleted or merged-away "
              + "customer: profile, events and segment memberships (exits recorded)")
      @NotNull @Size(max = AudienceSyncService.MAX_ITEMS) List<JsonNode> profiles) {
  }

  /** {@code {"events": [{customer_id, type, occurred_at}]}}. */
  public record EventSyncRequest(
      @Schema(type = SchemaType.ARRAY, maxItems = AudienceSyncService.MAX_ITEMS,
          description = "{customer_id, type, occurred_at}")
      @NotNull @Size(max = AudienceSyncService.MAX_ITEMS) List<JsonNode> events) {
  }

  // ---------------------------------------------------------------- saved segments

  @POST
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Save a segment",
      description = "The rule is validated (fields, operators, value types, references to other segments) and "
          + "the segment's first members computed. A retry with the same Idempotency-Key returns the first answer.")
  @APIResponse(responseCode = "201", description = "Created; Location names the new segment",
      content = @Content(schema = @Schema(implementation = SegmentView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "KeyReused")
  public Uni<Response> create(@Valid @NotNull SegmentInput body,
      @Parameter(description = "Makes retries safe") @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH, body,
        tx -> segments.create(tx, t, body).map(view -> IdempotentResult.created(view, PATH + "/" + view.id())));
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "List the segments, oldest first (keyset pages)")
  @APIResponse(responseCode = "200", description = "{items, next_cursor}")
  @APIResponse(ref = "BadRequest")
  public Uni<Page<SegmentView>> list(
      // read as text so that ?limit=ten is a 400 problem, not a JAX-RS 404; documented as the integer it is
      @Parameter(description = "page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000",
          defaultValue = "50")) @QueryParam("limit") String limit,
      @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
    return segments.list(tenant.get(), PageRequest.parse(limit, cursor));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "A segment")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SegmentView.class)))
  @APIResponse(ref = "NotFound")
  public Uni<SegmentView> get(@PathParam("id") long id) {
    return segments.get(tenant.get(), id);
  }

  @PUT
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Replace a segment's name, rule and description",
      description = "A changed rule is re-validated and membership recomputed (entries and exits are recorded).")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SegmentView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<SegmentView> replace(@PathParam("id") long id, @Valid @NotNull SegmentInput body) {
    return segments.update(tenant.get(), id, current -> body);
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Change some of name, rule, description (absent ones are kept)")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SegmentView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<SegmentView> patch(@PathParam("id") long id,
      @Schema(implementation = SegmentInput.class) @NotNull ObjectNode body) {
    List<FieldError> errors = new ArrayList<>();
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!PATCHABLE.contains(name)) {
        errors.add(new FieldError(name, "unknown field"));
      }
    }
    if (body.has("name") && !body.get("name").isTextual() || body.has("description")
        && !body.get("description").isTextual() && !body.get("description").isNull()) {
      errors.add(new FieldError(body.has("name") && !body.get("name").isTextual() ? "name" : "description",
          "expected a string"));
    }
    if (!errors.isEmpty()) {
      throw invalid(errors);
    }
    return segments.update(tenant.get(), id, current -> {
      SegmentInput next = new SegmentInput(
          body.has("name") ? body.get("name").asText() : current.name(),
          body.has("rule") ? body.get("rule") : current.rule(),
          body.has("description") ? textOrNull(body.get("description")) : current.description());
      List<FieldError> violations = new ArrayList<>();
      for (ConstraintViolation<SegmentInput> v : validator.validate(next)) {
        violations.add(new FieldError(v.getPropertyPath().toString(), v.getMessage()));
      }
      if (!violations.isEmpty()) {
        throw invalid(violations);
      }
      return next;
    });
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Delete a segment and its membership")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  public Uni<Response> delete(@PathParam("id") long id) {
    return segments.delete(tenant.get(), id).map(ignored -> Response.noContent().build());
  }

  // ---------------------------------------------------------------- count, preview, validation

  @GET
  @Path("/{id}/count")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "How many customers match the segment now (one query over the read model)")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Count.class)))
  @APIResponse(ref = "NotFound")
  public Uni<Count> count(@PathParam("id") long id) {
    return segments.count(tenant.get(), id).map(Count::new);
  }

  @GET
  @Path("/{id}/preview")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "A sample of matching profiles (lowest customer ids first)",
      description = "Profiles of the read model: attributes, tags, consent, scores; never phone or e-mail.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Sample.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<Sample> preview(@PathParam("id") long id,
      @Parameter(description = "sample size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
          maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit) {
    return segments.preview(tenant.get(), id, sampleSize(limit)).map(Sample::new);
  }

  @POST
  @Path("/preview")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST})
  @Operation(summary = "Count and sample for a rule without saving it (the builder's live count)")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RulePreview.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<RulePreview> previewRule(@Valid @NotNull RuleRequest body,
      @Parameter(description = "sample size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
          maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit) {
    return segments.previewRule(tenant.get(), body.rule(), sampleSize(limit));
  }

  @POST
  @Path("/validate")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST})
  @Operation(summary = "Check a rule: {valid, errors: [{field, message}]}",
      description = "200 in both cases; errors name their place (rule.all[1].any[0].op).")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Validation.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<Validation> validate(@Valid @NotNull RuleRequest body) {
    return segments.validate(tenant.get(), body.rule());
  }

  // ---------------------------------------------------------------- membership

  @GET
  @Path("/{id}/members")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Current members of a saved segment, by customer id (keyset pages)")
  @APIResponse(responseCode = "200", description = "{items: [{customer_id, entered_at}], next_cursor}")
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<Page<Member>> members(@PathParam("id") long id,
      @Parameter(description = "page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000",
          defaultValue = "50")) @QueryParam("limit") String limit,
      @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
    return segments.members(tenant.get(), id, PageRequest.parse(limit, cursor));
  }

  @POST
  @Path("/{id}/refresh")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Recompute the whole membership now (entries and exits are recorded)")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Refresh.class)))
  @APIResponse(ref = "NotFound")
  public Uni<Refresh> refresh(@PathParam("id") long id) {
    return segments.refresh(tenant.get(), id);
  }

  // ---------------------------------------------------------------- read-model ingest

  @POST
  @Path("/profiles/sync")
  @RolesAllowed({Roles.ADMIN, Roles.INTEGRATION})
  @Operation(summary = "Upsert audience profiles (partial: only the fields given are set) or remove them",
      description = "Up to 5000 per call; set-based and idempotent. An item {customer_id, deleted: true} removes "
          + "the customer's profile, behaviour events and memberships (deleting an absent one is fine). Saved segments are re-evaluated for the "
          + "touched customers in the same transaction (entries/exits go to the membership outbox); then the "
          + "birthday, win-back and repurchase triggers are evaluated for them.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SyncResult.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "PayloadTooLarge")
  public Uni<SyncResult> syncProfiles(@Valid @NotNull ProfileSyncRequest body) {
    return sync.syncProfiles(tenant.get(), body.profiles());
  }

  @POST
  @Path("/events/sync")
  @RolesAllowed({Roles.ADMIN, Roles.INTEGRATION})
  @Operation(summary = "Record behaviour events for event.<type> conditions",
      description = "Up to 5000 per call; an event already held (same customer, type and instant) is skipped.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SyncResult.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "PayloadTooLarge")
  public Uni<SyncResult> syncEvents(@Valid @NotNull EventSyncRequest body) {
    return sync.syncEvents(tenant.get(), body.events());
  }

  private static int sampleSize(String limit) {
    if (limit == null || limit.isBlank()) {
      return SegmentService.DEFAULT_SAMPLE;
    }
    try {
      int size = Integer.parseInt(limit.trim());
      if (size >= 1 && size <= SegmentService.MAX_SAMPLE) {
        return size;
      }
    } catch (NumberFormatException ignored) {
      // falls through to the problem below
    }
    throw ProblemException.invalid("limit", "must be a whole number between 1 and " + SegmentService.MAX_SAMPLE);
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static ProblemException invalid(List<FieldError> errors) {
    errors.sort(Comparator.comparing(FieldError::field));
    return new ProblemException(com.shopcrm.common.problem.Problem.validation(
        errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse(""), errors));
  }
}
