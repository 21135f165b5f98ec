package com.shopcrm.gateway.rest;

import com.shopcrm.common.page.Page;
import com.shopcrm.gateway.repository.ApiKeyRepository.ApiKeyRow;
import com.shopcrm.gateway.service.ApiKeyService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

@Path("/api/v1/admin/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class ApiKeyResource {

  public record IssueApiKey(@NotBlank String tenantId, @NotNull List<String> roles, @Size(max = 200) String name) {
  }

  /** The answer to issuing: the only time {@code key} is ever shown. */
  public record IssuedApiKey(String id, String key, String tenantId, List<String> roles, String name,
                             OffsetDateTime createdAt) {
  }

  public record ApiKeyView(String id, String tenantId, List<String> roles, String name, OffsetDateTime createdAt,
                           OffsetDateTime revokedAt) {
    static ApiKeyView of(ApiKeyRow row) {
      return new ApiKeyView(row.id().toString(), row.tenantId(), row.roles(), row.name(), row.createdAt(), row.revokedAt());
    }
  }

  private final ApiKeyService keys;
  private final CurrentCaller caller;

  ApiKeyResource(ApiKeyService keys, CurrentCaller caller) {
    this.keys = keys;
    this.caller = caller;
  }

  @POST
  @Operation(summary = "Issue an API key for a shop; the key is in this answer only")
  public Uni<Response> issue(@Valid @NotNull IssueApiKey body) {
    return keys.issue(caller.get(), body.tenantId(), body.roles(), body.name()).map(issued -> {
      ApiKeyRow row = issued.row();
      return Response.created(URI.create("/api/v1/admin/api-keys/" + row.id()))
          .entity(new IssuedApiKey(row.id().toString(), issued.key(), row.tenantId(), row.roles(), row.name(), row.createdAt()))
          .build();
    });
  }

  @GET
  @Operation(summary = "List API keys (never the keys themselves)")
  public Uni<Page<ApiKeyView>> list(@QueryParam("tenant_id") String tenantId, @QueryParam("limit") String limit,
                                    @QueryParam("cursor") String cursor) {
    return keys.list(caller.get(), tenantId == null || tenantId.isBlank() ? null : tenantId, Paging.of(limit, cursor))
        .map(page -> page.map(ApiKeyView::of));
  }

  @DELETE
  @Path("/{id}")
  @Operation(summary = "Revoke an API key; it stops working at once")
  public Uni<Response> revoke(@PathParam("id") String id) {
    return keys.revoke(caller.get(), id).map(v -> Response.noContent().build());
  }
}
