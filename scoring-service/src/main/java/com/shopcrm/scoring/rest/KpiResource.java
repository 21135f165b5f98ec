package com.shopcrm.scoring.rest;

import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.scoring.repository.KpiRepository;
import com.shopcrm.scoring.service.KpiService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/kpis}: customer-value KPIs of the tenant; every role reads. */
@Path("/api/v1/kpis")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "kpis")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
@RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
public class KpiResource {

  private final KpiService kpis;
  private final CurrentTenant tenant;

  KpiResource(KpiService kpis, CurrentTenant tenant) {
    this.kpis = kpis;
    this.tenant = tenant;
  }

  @GET
  @Path("/rfm-distribution")
  @Operation(summary = "Customers and revenue share per RFM segment (8-class) and per 11-group")
  @APIResponse(responseCode = "200",
      content = @Content(schema = @Schema(implementation = KpiRepository.RfmDistribution.class)))
  public Uni<KpiRepository.RfmDistribution> rfm() {
    return kpis.rfm(tenant.get());
  }

  @GET
  @Path("/clv-distribution")
  @Operation(summary = "Histogram of predicted 365-day CLV (equal-width buckets between min and max)")
  @APIResponse(responseCode = "200",
      content = @Content(schema = @Schema(implementation = KpiRepository.ClvDistribution.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<KpiRepository.ClvDistribution> clv(@QueryParam("buckets") String buckets) {
    return kpis.clv(tenant.get(), intParam("buckets", buckets, 10));
  }

  @GET
  @Path("/retention")
  @Operation(summary = "Repurchase rate, retention and churn for a period",
      description = "from and to (YYYY-MM-DD, inclusive) required. Retention: share of the previous equally long "
          + "period's buyers who bought again in the period; churn = 1 - retention.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = KpiRepository.Retention.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<KpiRepository.Retention> retention(@QueryParam("from") String from, @QueryParam("to") String to) {
    return kpis.retention(tenant.get(), dateParam("from", from), dateParam("to", to));
  }

  @GET
  @Path("/cohorts")
  @Operation(summary = "Monthly acquisition cohorts × months since first purchase: active customers and retention")
  @APIResponse(responseCode = "200", description = "{cohorts: [{cohort, customers, active[], retention[]}]}")
  @APIResponse(ref = "BadRequest")
  public Uni<Map<String, List<KpiRepository.Cohort>>> cohorts(@QueryParam("months") String months) {
    return kpis.cohorts(tenant.get(), intParam("months", months, 12)).map(c -> Map.of("cohorts", c));
  }

  private static int intParam(String name, String value, int fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw ProblemException.invalid(name, "must be an integer");
    }
  }

  private static LocalDate dateParam(String name, String value) {
    if (value == null || value.isBlank()) {
      throw ProblemException.invalid(name, "is required (YYYY-MM-DD)");
    }
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid(name, "must be a date (YYYY-MM-DD)");
    }
  }
}
