package com.shopcrm.order.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A refund (money only) or a return (goods back, with the lines returned). */
@Schema(name = "RefundInput")
public record RefundInput(
    @Schema(required = true, description = "More than 0; all refunds together never exceed total_amount")
    @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 12, fraction = 2) BigDecimal amount,
    @Schema(required = true) @NotBlank @Size(max = 500) String reason,
    @Schema(required = true) @NotNull Type type,
    @Size(max = 500) List<@Valid @NotNull Item> items) {

  public enum Type {
    @JsonProperty("refund") REFUND,
    @JsonProperty("return") RETURN;

    public String wire() {
      return name().toLowerCase();
    }
  }

  /** A returned line: which sku, how many. */
  public record Item(@NotBlank @Size(max = 128) String sku, @NotNull @Positive Integer quantity) {
  }
}
