package com.shopcrm.gateway.rest;

import com.shopcrm.common.page.Page;
import com.shopcrm.gateway.cors.CorsOrigins;
import com.shopcrm.gateway.repository.TenantRepository.TenantRow;
import com.shopcrm.gateway.service.TenantService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/admin/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class TenantResource {

  public record CreateTenant(
      @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}", message = "must be a slug: a-z, 0-9 and '-', 2 to 63 characters, not starting with '-'") String id,
      @NotBlank @Size(max = 200) String name) {
  }

  /** A shop's own rate limits in requests per second; {@code null}: the gateway's default. */
  public record RateLimits(@Min(1) @Max(1_000_000) Integer perSecond, @Min(1) @Max(1_000_000) Integer keyPerSecond) {
  }

  /** Browser origins allowed to call the API with the shop's keys, e.g. {@code https://shop.example.com}. */
  public record CorsSettings(List<String> origins) {
  }

  public record TenantView(String id, String name, OffsetDateTime createdAt, List<String> corsOrigins,
                           RateLimits rateLimits) {
    static TenantView of(TenantRow row) {
      return new TenantView(row.id(), row.name(), row.createdAt(), row.corsOrigins(),
          new RateLimits(row.rateLimitPerSecond(), row.keyRateLimitPerSecond()));
    }
  }

  private final TenantService tenants;
  private final CurrentCaller caller;

  TenantResource(TenantService tenants, CurrentCaller caller) {
    this.tenants = tenants;
    this.caller = caller;
  }

  @POST
  @Operation(summary = "Register a shop (platform admin key)")
  public Uni<Response> create(@Valid @NotNull CreateTenant body) {
    return tenants.create(caller.get(), body.id(), body.name())
        .map(row -> Response.created(URI.create("/api/v1/admin/tenants/" + row.id())).entity(TenantView.of(row)).build());
  }

  @GET
  @Operation(summary = "List the shops (platform admin key)")
  public Uni<Page<TenantView>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return tenants.list(caller.get(), Paging.of(limit, cursor)).map(page -> page.map(TenantView::of));
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One shop with its gateway settings (platform admin key, or the shop's own admin key)")
  public Uni<TenantView> get(@PathParam("id") String id) {
    return tenants.get(caller.get(), id).map(TenantView::of);
  }

  @PUT
  @Path("/{id}/cors")
  @Operation(summary = "Replace the browser origins allowed to call the API with this shop's keys "
      + "(platform admin key, or the shop's own admin key)")
  public Uni<TenantView> setCors(@PathParam("id") String id, @NotNull CorsSettings body) {
    List<String> origins = CorsOrigins.normalize(body.origins());
    return tenants.setCorsOrigins(caller.get(), id, origins).map(TenantView::of);
  }

  @PUT
  @Path("/{id}/rate-limits")
  @Operation(summary = "Set the shop's rate limits, requests per second for the whole shop and per key; "
      + "null restores the default (platform admin key)")
  public Uni<TenantView> setRateLimits(@PathParam("id") String id, @Valid @NotNull RateLimits body) {
    return tenants.setRateLimits(caller.get(), id, body.perSecond(), body.keyPerSecond()).map(TenantView::of);
  }
}
