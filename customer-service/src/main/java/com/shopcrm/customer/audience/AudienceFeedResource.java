package com.shopcrm.customer.audience;

import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.customer.audience.AudienceFeedService.ResyncView;
import com.shopcrm.customer.audience.AudienceFeedService.StatusView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/customers/audience-feed}: the feed of campaign-service's audience read model (admin). */
@Path("/api/v1/customers/audience-feed")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audience feed")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class AudienceFeedResource {

  private final CurrentTenant tenant;
  private final AudienceFeedService feed;

  AudienceFeedResource(CurrentTenant tenant, AudienceFeedService feed) {
    this.tenant = tenant;
    this.feed = feed;
  }

  @POST
  @Path("/resync")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Send every customer of the tenant to campaign-service again",
      description = "Enqueues every live customer (its current profile) and every behaviour event in one "
          + "transaction, e.g. to fill a fresh campaign database; the relay delivers them in the background. "
          + "Rows parked earlier are dropped: the fresh ones supersede them.")
  @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation = ResyncView.class)))
  public Uni<Response> resync() {
    return feed.resync(tenant.get()).map(view -> Response.accepted(view).build());
  }

  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "What waits in the tenant's audience outbox")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = StatusView.class)))
  public Uni<StatusView> status() {
    return feed.status(tenant.get());
  }
}
