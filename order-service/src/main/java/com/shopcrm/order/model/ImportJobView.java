package com.shopcrm.order.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An import job as {@code GET /api/v1/orders/imports/{id}} shows it (fixed fields: id, status,
 * rows_total, rows_imported, rows_duplicate, rows_rejected, errors; the rest is progress).
 * {@code rows_total = rows_imported + rows_duplicate + rows_rejected} counts CSV data rows read so
 * far; {@code errors} holds the first rejected rows ({@code [{line, reason}]}, line = the physical
 * line the row starts on, header = 1).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportJobView(
    UUID id,
    @Schema(enumeration = {"queued", "running", "completed", "failed"}) String status,
    String format,
    String charset,
    long rowsTotal,
    long rowsImported,
    long rowsDuplicate,
    long rowsRejected,
    long ordersImported,
    @Schema(description = "[{line, reason}], the first rejected rows") JsonNode errors,
    long bytesTotal,
    long bytesRead,
    @Schema(description = "Why the job failed") String failure,
    String createdBy,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt) {
}
