package com.shopcrm.customer.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An erasure request: who asked and when, and each service's part (docs/PRIVACY.md). */
public record ErasureView(
    @Schema(description = "The erased customer's id") long customerId,
    @Schema(description = "The customer and the profiles that had been merged into it")
    List<Long> customerIds,
    @Schema(enumeration = {"pending", "completed"},
        description = "completed once every service has acknowledged its erase") String status,
    @Schema(description = "The API key (token subject) that asked") String requestedBy,
    OffsetDateTime requestedAt,
    OffsetDateTime completedAt,
    @Schema(description = "customer-service, order-service, scoring-service, campaign-service")
    List<ServiceStep> services) {

  /** One service's part: retried with back-off until the service acknowledges. */
  public record ServiceStep(
      String service,
      @Schema(enumeration = {"pending", "completed"}) String status,
      @Schema(description = "Calls made so far") int attempts,
      @Schema(description = "When the next call is due (pending only)") OffsetDateTime nextAttemptAt,
      @Schema(description = "Why the last call failed (pending only)") String lastError,
      @Schema(type = SchemaType.OBJECT, description = "What the service changed (its answer)") JsonNode outcome,
      OffsetDateTime completedAt) {
  }
}
