package com.shopcrm.scoring.model;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One counted purchase of a customer: its calendar day in the shop's time zone and its value.
 * Cancelled and fully refunded orders are filtered out before they become purchases.
 */
public record Purchase(LocalDate day, double value) {

  public Purchase {
    Objects.requireNonNull(day, "day");
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException("purchase value must be finite and >= 0, got " + value);
    }
  }
}
