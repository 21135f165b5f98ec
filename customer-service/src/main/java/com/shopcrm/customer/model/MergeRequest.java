package com.shopcrm.customer.model;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** Fold {@code merged_id} into {@code survivor_id}. */
public record MergeRequest(@NotNull @Positive Long survivorId, @NotNull @Positive Long mergedId) {
}
