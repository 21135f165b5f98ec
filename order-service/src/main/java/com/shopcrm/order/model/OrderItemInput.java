package com.shopcrm.order.model;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One line of an order as clients send it. */
@Schema(name = "OrderItemInput")
public record OrderItemInput(
    @Schema(required = true) @NotBlank @Size(max = 128) String sku,
    @Size(max = 500) String productName,
    @Size(max = 200) String category,
    @Schema(required = true, minimum = "1") @NotNull @Positive Integer quantity,
    @Schema(required = true, minimum = "0") @NotNull @DecimalMin("0") @Digits(integer = 12, fraction = 2)
    BigDecimal unitPrice) {
}
