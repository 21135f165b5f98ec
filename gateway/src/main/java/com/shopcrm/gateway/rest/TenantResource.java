package com.shopcrm.gateway.rest;

import com.shopcrm.common.page.Page;
import com.shopcrm.gateway.repository.TenantRepository.TenantRow;
import com.shopcrm.gateway.service.TenantService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
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

  public record TenantView(String id, String name, OffsetDateTime createdAt) {
    static TenantView of(TenantRow row) {
      return new TenantView(row.id(), row.name(), row.createdAt());
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
}
