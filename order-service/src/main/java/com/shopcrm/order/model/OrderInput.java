package com.shopcrm.order.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An order as clients send it (ARCHITECTURE §4): the buyer by platform id, amounts, line items.
 * The customer fields (name, phone, e-mail, province, city) create or update the buyer in
 * customer-service.
 */
@Schema(name = "OrderInput")
public record OrderInput(
    @Schema(required = true, description = "Unique per shop; the same number again is a replay or a conflict")
    @NotBlank @Size(max = 64) String orderNo,
    @Schema(required = true, description = "The platform's buyer id or nick")
    @NotBlank @Size(max = 128) String customerExternalId,
    @Schema(description = "Defaults to own_site") Platform customerPlatform,
    @Schema(required = true, description = "ISO-8601 with offset") @NotNull OffsetDateTime orderedAt,
    @Schema(required = true, minimum = "0") @NotNull @DecimalMin("0") @Digits(integer = 12, fraction = 2)
    BigDecimal totalAmount,
    @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal discountAmount,
    @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal shippingFee,
    @Schema(description = "Defaults to created; refunded states come from refunds only") OrderStatus status,
    OffsetDateTime paidAt,
    @Size(max = 500) List<@Valid @NotNull OrderItemInput> items,
    @Size(max = 64) String couponCode,
    @Size(max = 64) String channel,
    @Size(max = 200) String customerName,
    @Pattern(regexp = "^\\+?[0-9][0-9 ()\\-]{4,23}$", message = "must be a phone number (digits, spaces, +, -, parentheses)")
    String customerPhone,
    @Email @Size(max = 254) String customerEmail,
    @Size(max = 64) String province,
    @Size(max = 64) String city) {

  public Platform platformOrDefault() {
    return customerPlatform == null ? Platform.DEFAULT : customerPlatform;
  }

  public OrderStatus statusOrDefault() {
    return status == null ? OrderStatus.CREATED : status;
  }

  public List<OrderItemInput> itemList() {
    return items == null ? List.of() : items;
  }
}
