package com.shopcrm.customer.model;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code PUT /customers/{id}/consent}: grant or revoke one channel. */
public record ConsentInput(
    @Schema(required = true) @NotNull Channel channel,
    @Schema(required = true) @NotNull Boolean granted,
    @Schema(description = "Where the decision came from, e.g. 'sms reply T', 'checkout form'") @Size(max = 200) String source) {
}
