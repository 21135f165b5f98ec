package com.shopcrm.customer.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Behaviour event types. */
public enum EventType {
  @JsonProperty("view") VIEW,
  @JsonProperty("favourite") FAVOURITE,
  @JsonProperty("cart_add") CART_ADD,
  @JsonProperty("cart_abandon") CART_ABANDON,
  @JsonProperty("consult") CONSULT,
  @JsonProperty("review") REVIEW,
  @JsonProperty("custom") CUSTOM;

  public String wire() {
    return name().toLowerCase();
  }

  public static EventType fromWire(String value) {
    return valueOf(value.toUpperCase());
  }
}
