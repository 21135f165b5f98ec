package com.shopcrm.launcher.importer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An order import job as the gateway shows it ({@code GET /api/v1/orders/imports/{id}}, order-service's
 * {@code ImportJobView}): the fixed fields plus the progress ones ({@code bytes_read} of {@code bytes_total} of the
 * uploaded file processed so far). Fields this version does not know are ignored.
 */
public record ImportJob(
    String id,
    String status,
    String format,
    String charset,
    long rowsTotal,
    long rowsImported,
    long rowsDuplicate,
    long rowsRejected,
    long ordersImported,
    List<RowError> errors,
    long bytesTotal,
    long bytesRead,
    String failure) {

  /** A rejected row: the physical line it starts on (header = 1) and why. */
  public record RowError(long line, String reason) {
  }

  static ImportJob from(JsonNode json) {
    String id = text(json, "id");
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("the answer names no import job id: " + json);
    }
    List<RowError> errors = new ArrayList<>();
    for (JsonNode error : json.path("errors")) {
      errors.add(new RowError(error.path("line").asLong(), error.path("reason").asText("")));
    }
    return new ImportJob(id, text(json, "status"), text(json, "format"), text(json, "charset"),
        json.path("rows_total").asLong(), json.path("rows_imported").asLong(), json.path("rows_duplicate").asLong(),
        json.path("rows_rejected").asLong(), json.path("orders_imported").asLong(), List.copyOf(errors),
        json.path("bytes_total").asLong(), json.path("bytes_read").asLong(), text(json, "failure"));
  }

  /** Completed or failed: nothing will change any more. */
  public boolean finished() {
    return "completed".equals(status) || "failed".equals(status);
  }

  public boolean completed() {
    return "completed".equals(status);
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
