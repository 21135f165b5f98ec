package com.shopcrm.customer.ticket;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Requests and answers of the service-ticket API. */
public final class TicketModels {

  private TicketModels() {
  }

  public enum TicketChannel {
    @JsonProperty("online_chat") ONLINE_CHAT,
    @JsonProperty("phone") PHONE,
    @JsonProperty("email") EMAIL,
    @JsonProperty("platform_dispute") PLATFORM_DISPUTE;

    public String wire() {
      return name().toLowerCase();
    }
  }

  public enum Category {
    @JsonProperty("consultation") CONSULTATION,
    @JsonProperty("logistics") LOGISTICS,
    @JsonProperty("quality") QUALITY,
    @JsonProperty("wrong_item") WRONG_ITEM,
    @JsonProperty("refund") REFUND,
    @JsonProperty("invoice") INVOICE,
    @JsonProperty("service_complaint") SERVICE_COMPLAINT,
    @JsonProperty("other") OTHER;

    public String wire() {
      return name().toLowerCase();
    }

    public static Category fromWire(String value) {
      return valueOf(value.toUpperCase());
    }
  }

  public enum Priority {
    @JsonProperty("low") LOW,
    @JsonProperty("normal") NORMAL,
    @JsonProperty("high") HIGH,
    @JsonProperty("urgent") URGENT;

    public String wire() {
      return name().toLowerCase();
    }

    public static Priority fromWire(String value) {
      return valueOf(value.toUpperCase());
    }
  }

  /** open -> in_progress -> waiting_customer -> resolved -> closed, with reopen (resolved/closed -> open). */
  public enum Status {
    @JsonProperty("open") OPEN,
    @JsonProperty("in_progress") IN_PROGRESS,
    @JsonProperty("waiting_customer") WAITING_CUSTOMER,
    @JsonProperty("resolved") RESOLVED,
    @JsonProperty("closed") CLOSED;

    public String wire() {
      return name().toLowerCase();
    }

    public static Status fromWire(String value) {
      return valueOf(value.toUpperCase());
    }

    public Set<Status> next() {
      return switch (this) {
        case OPEN -> EnumSet.of(IN_PROGRESS, WAITING_CUSTOMER, RESOLVED);
        case IN_PROGRESS -> EnumSet.of(WAITING_CUSTOMER, RESOLVED);
        case WAITING_CUSTOMER -> EnumSet.of(IN_PROGRESS, RESOLVED);
        case RESOLVED -> EnumSet.of(CLOSED, OPEN);
        case CLOSED -> EnumSet.of(OPEN);
      };
    }

    public boolean finished() {
      return this == RESOLVED || this == CLOSED;
    }
  }

  public record TicketInput(
      @Schema(required = true) @NotNull Long customerId,
      @Size(max = 200) String orderNo,
      @Schema(required = true) @NotNull TicketChannel channel,
      @Schema(required = true, description = "One or more") @NotEmpty @Size(max = 8) List<@NotNull Category> categories,
      @Schema(defaultValue = "normal") Priority priority,
      @Schema(required = true) @NotBlank @Size(max = 200) String subject,
      @Schema(required = true) @NotBlank @Size(max = 20_000) String description,
      @Size(max = 20) List<@NotBlank @Size(max = 2000) @Pattern(regexp = "https?://\\S+",
          message = "must be an http(s) URL") String> attachments,
      @Size(max = 200) String assignee) {
  }

  /** {@code PATCH}: reclassify, reprioritise, (re)assign; the status is not touched. */
  public record TicketPatch(
      @Size(min = 1, max = 8) List<@NotNull Category> categories,
      Priority priority,
      @Schema(description = "null unassigns") @Size(max = 200) String assignee) {
  }

  public record StatusChange(
      @Schema(required = true) @NotNull Status status,
      @Size(max = 2000) String note) {
  }

  public record CommentInput(
      @Schema(required = true) @NotBlank @Size(max = 20_000) String body,
      @Schema(required = true, description = "Visible to the customer; a public agent comment is the first response")
      @JsonProperty("public") @NotNull Boolean visible) {
  }

  public record SatisfactionInput(
      @Schema(required = true) @NotNull @Min(1) @Max(5) Integer rating,
      @Size(max = 2000) String comment) {
  }

  public record Satisfaction(int rating, String comment) {
  }

  public record TicketView(long id, long customerId, String orderNo, TicketChannel channel, List<Category> categories,
      Priority priority, Status status, String subject, String description, List<String> attachments,
      String assignee, OffsetDateTime firstResponseDue, OffsetDateTime resolutionDue,
      OffsetDateTime firstResponseAt, OffsetDateTime resolvedAt, OffsetDateTime closedAt,
      boolean firstResponseBreached, boolean resolutionBreached, boolean breached, int reopenCount,
      Satisfaction satisfaction, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    TicketView masked() {
      return new TicketView(id, customerId, orderNo, channel, categories, priority, status, PiiText.mask(subject),
          PiiText.mask(description), attachments, assignee, firstResponseDue, resolutionDue, firstResponseAt,
          resolvedAt, closedAt, firstResponseBreached, resolutionBreached, breached, reopenCount,
          satisfaction == null ? null : new Satisfaction(satisfaction.rating(), PiiText.mask(satisfaction.comment())),
          createdAt, updatedAt);
    }
  }

  /**
   * One timeline entry: kind is created, status_changed, reopened, reclassified, priority_changed,
   * assigned, comment, satisfaction or sla_breached; public entries are the customer's view.
   */
  public record TimelineEntry(long id, long ticketId, String kind, String actor, @JsonProperty("public") boolean visible,
      String body, Map<String, Object> data, OffsetDateTime createdAt) {

    TimelineEntry masked() {
      return new TimelineEntry(id, ticketId, kind, actor, visible, PiiText.mask(body), data, createdAt);
    }
  }

  /** First-response and resolution targets in minutes. */
  public record Durations(
      @Min(1) @Max(525_600) Integer firstResponseMinutes,
      @Min(1) @Max(525_600) Integer resolutionMinutes) {
  }

  /**
   * SLA per priority (all four, missing ones take the defaults) and optional per-category
   * overrides; a ticket gets the strictest target of its priority and its categories.
   */
  public record SlaPolicy(
      @Schema(description = "low|normal|high|urgent -> durations") Map<String, @Valid @NotNull Durations> priorities,
      @Schema(description = "category -> durations (either may be absent)") Map<String, @Valid @NotNull Durations> categories) {

    public static SlaPolicy defaults() {
      return new SlaPolicy(Map.of(
          "low", new Durations(24 * 60, 5 * 24 * 60),
          "normal", new Durations(8 * 60, 3 * 24 * 60),
          "high", new Durations(2 * 60, 24 * 60),
          "urgent", new Durations(30, 8 * 60)), Map.of());
    }
  }

  public record ScanInput(@Schema(description = "Scan as of this instant (default now)") OffsetDateTime asOf) {
  }

  public record ScanResult(OffsetDateTime asOf, int firstResponseBreaches, int resolutionBreaches) {
  }

  public record KpiFigures(long tickets, BigDecimal firstResponseMinutesAvg, BigDecimal firstResponseMinutesP50,
      BigDecimal resolutionMinutesAvg, BigDecimal resolutionMinutesP50, BigDecimal breachRate,
      BigDecimal satisfactionAvg, long satisfactionCount) {
  }

  public record CategoryKpis(Category category, KpiFigures figures) {
  }

  public record KpiReport(OffsetDateTime from, OffsetDateTime to, KpiFigures overall, Long orders,
      @JsonProperty("tickets_per_100_orders") BigDecimal ticketsPer100Orders, String note, List<CategoryKpis> byCategory) {
  }
}
