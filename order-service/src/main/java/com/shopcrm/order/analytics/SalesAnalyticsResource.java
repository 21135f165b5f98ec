package com.shopcrm.order.analytics;

import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.common.tenant.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/analytics}: sales analytics of the caller's shop (read roles). */
@Path("/api/v1/analytics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "analytics")
@SecurityRequirement(name = "SecurityScheme")
@APIResponse(ref = "Unauthorized")
@APIResponse(ref = "Forbidden")
public class SalesAnalyticsResource {

  static final String DEFAULT_ZONE = "Asia/Shanghai";
  /** Most buckets one report may have. */
  static final Map<String, Long> MAX_BUCKETS = Map.of("day", 1100L, "week", 530L, "month", 240L);

  private final CurrentTenant tenant;
  private final SalesAnalyticsService analytics;
  private final Clock clock;

  SalesAnalyticsResource(CurrentTenant tenant, SalesAnalyticsService analytics, Clock clock) {
    this.tenant = tenant;
    this.analytics = analytics;
    this.clock = clock;
  }

  @GET
  @Path("/sales")
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION})
  @Operation(summary = "Sales per day, week or month, and for the period",
      description = "Revenue (paid orders net of refunds), orders, buyers, AOV (客单价 = revenue / buyers) and "
          + "average order value, new vs returning buyers (first paid order ever in the bucket, or before it), "
          + "repurchase rate (buyers with 2+ orders in the bucket / buyers), refund and return rates, top 10 "
          + "products and categories (item line amounts). Anonymous orders count in revenue and orders, not in "
          + "buyers. from/to: dates (YYYY-MM-DD, both inclusive, in tz) or instants with offset (to exclusive); "
          + "default the last 30 days. Weeks start on Monday.")
  @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SalesReport.class)))
  @APIResponse(ref = "BadRequest")
  public Uni<SalesReport> sales(
      @Parameter(description = "YYYY-MM-DD (start of that day in tz) or ISO-8601 instant; inclusive")
      @QueryParam("from") String from,
      @Parameter(description = "YYYY-MM-DD (the whole day, in tz) or ISO-8601 instant (exclusive)")
      @QueryParam("to") String to,
      @Parameter(schema = @Schema(enumeration = {"day", "week", "month"}, defaultValue = "day"))
      @QueryParam("granularity") String granularity,
      @Parameter(description = "IANA time zone of the buckets and dates", schema = @Schema(defaultValue = DEFAULT_ZONE))
      @QueryParam("tz") String tz) {
    String zoneId = blank(tz) ? DEFAULT_ZONE : tz.trim();
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneId);
      if (zone instanceof ZoneOffset) { // PostgreSQL reads "+08:00"-style names with POSIX (inverted) signs
        throw new DateTimeException("an offset, not a zone");
      }
    } catch (DateTimeException e) {
      throw ProblemException.invalid("tz", "must be an IANA time zone such as Asia/Shanghai");
    }
    String unit = blank(granularity) ? "day" : granularity.trim();
    if (!MAX_BUCKETS.containsKey(unit)) {
      throw ProblemException.invalid("granularity", "must be day, week or month");
    }
    OffsetDateTime end = blank(to) ? OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC) : instant("to", to, zone, true);
    OffsetDateTime start = blank(from) ? end.minusDays(30) : instant("from", from, zone, false);
    if (!start.isBefore(end)) {
      throw ProblemException.invalid("to", "must be after from");
    }
    long days = Duration.between(start, end).toDays();
    long buckets = switch (unit) {
      case "week" -> days / 7 + 2;
      case "month" -> ChronoUnit.MONTHS.between(start, end) + 2;
      default -> days + 2;
    };
    if (buckets > MAX_BUCKETS.get(unit)) {
      throw ProblemException.invalid("from", "the period has too many " + unit + "s for one report (at most "
          + MAX_BUCKETS.get(unit) + "); choose a coarser granularity or a shorter period");
    }
    return analytics.sales(tenant.get(), start, end, unit, zoneId);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  /** A date is the start of that day in the zone; as the end, the start of the next day (inclusive date). */
  private static OffsetDateTime instant(String field, String value, ZoneId zone, boolean end) {
    String text = value.trim();
    try {
      if (text.length() == 10) {
        LocalDate date = LocalDate.parse(text);
        return (end ? date.plusDays(1) : date).atStartOfDay(zone).toOffsetDateTime()
            .withOffsetSameInstant(ZoneOffset.UTC);
      }
      return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid(field, "must be a date YYYY-MM-DD or an ISO-8601 instant with offset");
    }
  }
}
