package com.shopcrm.campaign.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.campaign.model.CampaignInput;
import com.shopcrm.campaign.model.CampaignResults.Launch;
import com.shopcrm.campaign.model.CampaignResults.OrderEventBatchResult;
import com.shopcrm.campaign.model.CampaignResults.OrderEventResult;
import com.shopcrm.campaign.model.CampaignResults.Report;
import com.shopcrm.campaign.model.CampaignResults.SinkMessage;
import com.shopcrm.campaign.model.CampaignView;
import com.shopcrm.campaign.service.AttributionService;
import com.shopcrm.campaign.service.CampaignReportService;
import com.shopcrm.campaign.service.CampaignRules;
import com.shopcrm.campaign.service.CampaignService;
import com.shopcrm.common.idempotency.IdempotentResult;
import com.shopcrm.common.idempotency.IdempotentWrites;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.common.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/campaigns} (docs/CAMPAIGNS.md): define (draft), launch (audience frozen, messages
 * queued), inspect what the local sink received, consume order events, report.
 *
 * <p>Roles: {@code admin}, {@code marketer} write; every role reads; {@code admin} and
 * {@code integration} deliver order events.
 */
@Path(CampaignResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "campaigns")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class CampaignResource {

  public static final String PATH = "/api/v1/campaigns";

  private final CampaignService campaigns;
  private final CampaignReportService reports;
  private final AttributionService attribution;
  private final CurrentTenant tenant;
  private final IdempotentWrites idempotent;

  CampaignResource(CampaignService campaigns, CampaignReportService reports, AttributionService attribution,
      CurrentTenant tenant, IdempotentWrites idempotent) {
    this.campaigns = campaigns;
    this.reports = reports;
    this.attribution = attribution;
    this.tenant = tenant;
    this.idempotent = idempotent;
  }

  @POST
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Create a campaign (draft)",
      description = "Every error is listed with its field (variants[1].message.sms, control_pct, segment_id, ...). "
          + "A retry with the same Idempotency-Key returns the first answer.")
  @APIResponse(responseCode = "201", description = "Created; the body is the campaign (with its id)",
      content = @Content(schema = @Schema(implementation = CampaignView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "KeyReused")
  public Uni<Response> create(@NotNull CampaignInput body,
      @Parameter(description = "Makes retries safe") @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH, body,
        tx -> campaigns.create(tx, t, body).map(view -> IdempotentResult.created(view, PATH + "/" + view.id())));
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "List the campaigns, oldest first (keyset pages); runs of recurring ones are under /runs")
  @APIResponse(responseCode = "200", description = "{items, next_cursor}")
  @APIResponse(ref = "BadRequest")
  public Uni<Page<CampaignView>> list(
      @Parameter(description = "page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000",
          defaultValue = "50")) @QueryParam("limit") String limit,
      @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
    return campaigns.list(tenant.get(), PageRequest.parse(limit, cursor));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "A campaign")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CampaignView.class)))
  @APIResponse(ref = "NotFound")
  public Uni<CampaignView> get(@PathParam("id") long id) {
    return campaigns.get(tenant.get(), id);
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Change some fields of a draft (the whole is re-validated); 409 once launched")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CampaignView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  public Uni<CampaignView> patch(@PathParam("id") long id,
      @Schema(implementation = CampaignInput.class) @NotNull ObjectNode body) {
    return campaigns.patch(tenant.get(), id, body);
  }

  @POST
  @Path("/{id}/launch")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Launch: freeze the audience, assign arms, suppress, issue coupons, queue messages",
      description = "An audience of up to crm.campaign.launch.inline-max (10000) is frozen in the request: 202 with "
          + "status launched and the counts. A larger one answers 202 {id, status: launching} at once and is frozen "
          + "in the background; GET /campaigns/{id} shows launched when it is. The dispatcher sends the queued "
          + "messages from send_at on. A recurring campaign answers 202 {id, status: scheduled, send_at: first run}; "
          + "its runs start on their calendar (GET /campaigns/{id}/runs). A second launch is a 409 problem and "
          + "changes nothing.")
  @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation = Launch.class)))
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  public Uni<Response> launch(@PathParam("id") long id,
      @Parameter(description = "Makes retries safe") @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH + "/{id}/launch", Map.of("campaign_id", id),
        tx -> campaigns.launch(tx, t, id).map(launch -> new IdempotentResult(202, launch, PATH + "/" + id)));
  }

  @POST
  @Path("/{id}/stop")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Stop a recurring campaign: no further runs (runs already started go on)",
      description = "Only a scheduled recurring campaign can be stopped (409 otherwise); it becomes stopped.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CampaignView.class)))
  @APIResponse(ref = "NotFound")
  @APIResponse(ref = "Conflict")
  public Uni<CampaignView> stop(@PathParam("id") long id) {
    return campaigns.stop(tenant.get(), id);
  }

  @GET
  @Path("/{id}/runs")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "The runs of a recurring campaign, oldest first (keyset pages)",
      description = "Each run is a campaign of its own (parent_id, run_no) with its own report and messages; "
          + "empty for a campaign that is not recurring.")
  @APIResponse(responseCode = "200", description = "{items: [campaign], next_cursor}")
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<Page<CampaignView>> runs(@PathParam("id") long id,
      @Parameter(description = "page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000",
          defaultValue = "50")) @QueryParam("limit") String limit,
      @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
    return campaigns.runs(tenant.get(), id, PageRequest.parse(limit, cursor));
  }

  @GET
  @Path("/{id}/report")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Audience, suppressions, per-arm and control results, uplift with p-value and 95% CI, ROI")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Report.class)))
  @APIResponse(ref = "NotFound")
  public Uni<Report> report(@PathParam("id") long id) {
    return reports.report(tenant.get(), id);
  }

  @GET
  @Path("/{id}/messages")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "What the local sink received for this campaign, by message id (keyset pages)")
  @APIResponse(responseCode = "200", description = "{items: [message], next_cursor}")
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<Page<SinkMessage>> messages(@PathParam("id") long id,
      @Parameter(description = "sms | email | app") @QueryParam("channel") String channel,
      @Parameter(description = "page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000",
          defaultValue = "50")) @QueryParam("limit") String limit,
      @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
    if (channel != null && !CampaignRules.CHANNELS.contains(channel)) {
      throw ProblemException.invalid("channel", "must be one of sms, email, app");
    }
    return reports.messages(tenant.get(), id, channel, PageRequest.parse(limit, cursor));
  }

  @POST
  @Path("/order-events")
  @RolesAllowed({Roles.ADMIN, Roles.INTEGRATION})
  @Operation(summary = "Deliver order events (order-service's dispatcher, subscriber 'campaign')",
      description = "One event {event_id, type, customer_id, order_no, occurred_at, payload: {total_amount, "
          + "coupon_code, ...}} or {events: [...]} (at most 1000, the caller's tenant; an event may name it as "
          + "tenant_id), applied in order in one transaction; unknown fields are ignored. order.paid / "
          + "order.completed of a recipient within a campaign's attribution window is a conversion; a campaign "
          + "coupon code is redeemed once, by its owner. Idempotent by event_id. A batch with any invalid event is "
          + "refused whole (400 listing each); the answer to a batch lists each event's result in order.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(
      oneOf = {OrderEventResult.class, OrderEventBatchResult.class})))
  @APIResponse(ref = "BadRequest")
  public Uni<Object> orderEvent(@Schema(implementation = Object.class) JsonNode body) {
    if (body != null && body.isObject() && body.has("events")) {
      return attribution.applyBatch(tenant.get(), body).map(r -> r);
    }
    return attribution.apply(tenant.get(), body).map(r -> r);
  }
}
