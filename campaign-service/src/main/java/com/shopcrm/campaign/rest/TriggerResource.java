package com.shopcrm.campaign.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.campaign.model.TriggerInput;
import com.shopcrm.campaign.model.TriggerResults.Firing;
import com.shopcrm.campaign.model.TriggerView;
import com.shopcrm.campaign.service.TriggerService;
import com.shopcrm.common.idempotency.IdempotentResult;
import com.shopcrm.common.idempotency.IdempotentWrites;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.common.web.QueryParams;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/triggers} (docs/CAMPAIGNS.md, "Triggers"): automatic flows (birthday, cart
 * abandonment, win-back, review request, repurchase reminder) and what they fired.
 *
 * <p>Roles as campaigns: {@code admin}, {@code marketer} write; every role reads.
 */
@Path(TriggerResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "triggers")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class TriggerResource {

  public static final String PATH = "/api/v1/triggers";

  private final TriggerService triggers;
  private final CurrentTenant tenant;
  private final IdempotentWrites idempotent;

  TriggerResource(TriggerService triggers, CurrentTenant tenant, IdempotentWrites idempotent) {
    this.triggers = triggers;
    this.tenant = tenant;
    this.idempotent = idempotent;
  }

  @POST
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Create a trigger (enabled unless enabled=false)",
      description = "kind birthday needs days_before; cart_abandon wait_hours; review_request wait_days; win_back "
          + "lifecycle_stage and/or p_alive_below (wait_days optional); repurchase wait_days optional. Every error "
          + "is listed with its field. A retry with the same Idempotency-Key returns the first answer.")
  @APIResponse(responseCode = "201", description = "Created; the body is the trigger (with its id)",
      content = @Content(schema = @Schema(implementation = TriggerView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "KeyReused")
  public Uni<Response> create(@NotNull TriggerInput body,
      @Parameter(description = "Makes retries safe") @HeaderParam(IdempotentWrites.HEADER) String idempotencyKey) {
    TenantContext t = tenant.get();
    return idempotent.run(t.tenantId(), idempotencyKey, "POST " + PATH, body,
        tx -> triggers.create(tx, t, body).map(view -> IdempotentResult.created(view, PATH + "/" + view.id())));
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "List the triggers, oldest first (keyset pages)")
  @APIResponse(responseCode = "200", description = "{items, next_cursor}")
  @APIResponse(ref = "BadRequest")
  public Uni<Page<TriggerView>> list(
      @Parameter(description = "page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000",
          defaultValue = "50")) @QueryParam("limit") String limit,
      @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
    return triggers.list(tenant.get(), PageRequest.parse(limit, cursor));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "A trigger")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TriggerView.class)))
  @APIResponse(ref = "NotFound")
  public Uni<TriggerView> get(@PathParam("id") long id) {
    return triggers.get(tenant.get(), id);
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER})
  @Operation(summary = "Change some fields (enable/disable, templates, wait, condition, offer); the whole is "
      + "re-validated; kind cannot change. Re-enabling skips occasions that fell due while disabled.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TriggerView.class)))
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<TriggerView> patch(@PathParam("id") long id,
      @Schema(implementation = TriggerInput.class) @NotNull ObjectNode body) {
    return triggers.patch(tenant.get(), id, body);
  }

  @GET
  @Path("/{id}/firings")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "What fired for whom, when, for which occasion (messaged or suppressed), by firing id")
  @APIResponse(responseCode = "200", description = "{items: [firing], next_cursor}")
  @APIResponse(ref = "BadRequest")
  @APIResponse(ref = "NotFound")
  public Uni<Page<Firing>> firings(@PathParam("id") long id,
      @Parameter(description = "only this customer's firings") @QueryParam("customer_id") String customerId,
      @Parameter(description = "page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000",
          defaultValue = "50")) @QueryParam("limit") String limit,
      @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
    return triggers.firings(tenant.get(), id, QueryParams.longParam("customer_id", customerId),
        PageRequest.parse(limit, cursor));
  }
}
