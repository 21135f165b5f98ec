package com.shopcrm.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.gateway.openapi.OpenApiCatalog;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The OpenAPI documents, public (no key): the whole API in one, and each service's own. */
@Path("/api/v1/openapi")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "openapi")
public class OpenApiResource {

  private final OpenApiCatalog catalog;

  OpenApiResource(OpenApiCatalog catalog) {
    this.catalog = catalog;
  }

  @GET
  @Operation(operationId = "getOpenApi", summary = "The whole API in one OpenAPI document, paths as the gateway exposes them (no key needed)")
  @APIResponse(responseCode = "200", description = "OpenAPI 3 document",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
  public Uni<JsonNode> aggregated() {
    return catalog.aggregated().map(doc -> doc);
  }

  @GET
  @Path("/{service}")
  @Operation(operationId = "getServiceOpenApi", summary = "One service's own OpenAPI document: gateway, customer, order, scoring or campaign (no key needed)")
  @APIResponse(responseCode = "200", description = "OpenAPI 3 document",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
  public Uni<JsonNode> service(@PathParam("service") String service) {
    return catalog.document(service);
  }
}
