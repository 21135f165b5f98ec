package com.shopcrm.order.model;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code {"status": "paid"}}. */
public record StatusChange(@Schema(required = true) @NotNull OrderStatus status) {
}
