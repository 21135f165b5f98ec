package com.shopcrm.order.rest;

import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.order.model.ImportJobView;
import com.shopcrm.order.service.imports.OrderImportService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/orders/imports}: bulk CSV imports of platform order exports (ARCHITECTURE §4).
 * The body is streamed to a spool file on a worker thread (never held in memory), checked, and
 * imported in the background; the job resource reports progress and the rejected rows.
 */
@Path(OrderImportResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "order imports")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class OrderImportResource {

  public static final String PATH = "/api/v1/orders/imports";

  private final CurrentTenant tenant;
  private final OrderImportService imports;

  OrderImportResource(CurrentTenant tenant, OrderImportService imports) {
    this.tenant = tenant;
    this.imports = imports;
  }

  @POST
  @Blocking
  @Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM, "application/vnd.ms-excel"})
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.INTEGRATION})
  @Operation(summary = "Import orders from a CSV export",
      description = "The raw CSV file is the body (UTF-8 with or without BOM, or GBK; a charset in Content-Type "
          + "wins over detection). format=generic: header with order_no, customer_external_id, ordered_at, "
          + "total_amount and optional status, customer_name, phone, email, province, city, sku, product_name, "
          + "category, quantity, unit_price, coupon_code, channel, refund_amount; rows sharing an order_no are the "
          + "line items of one order. format=taobao: the seller-center sold-items report with its Chinese headers. "
          + "Answers 202 with the job once the file is received and its header checked; bad rows are reported by "
          + "line and skipped; order numbers the shop already has count as duplicates.")
  @RequestBody(content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(responseCode = "202", description = "Accepted; Location names the job",
      content = @Content(schema = @Schema(implementation = ImportJobView.class)))
  @APIResponse(ref = "BadRequest")
  public Response submit(
      @Parameter(description = "generic or taobao", required = true) @QueryParam("format") String format,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
    ImportJobView job = imports.submit(tenant.get(), format, contentType, body);
    return Response.accepted(job).location(URI.create(PATH + "/" + job.id())).build();
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "An import job: status, counts, rejected rows")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ImportJobView.class)))
  @APIResponse(ref = "NotFound")
  public Uni<ImportJobView> get(@PathParam("id") String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("import", id);
    }
    return imports.find(tenant.get(), uuid)
        .onItem().ifNull().failWith(() -> ProblemException.notFound("import", id));
  }
}
