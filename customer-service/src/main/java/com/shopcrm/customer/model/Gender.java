package com.shopcrm.customer.model;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Gender {
  @JsonProperty("male") MALE,
  @JsonProperty("female") FEMALE,
  @JsonProperty("unknown") UNKNOWN;

  public String wire() {
    return name().toLowerCase();
  }

  public static Gender fromWire(String value) {
    return value == null ? null : valueOf(value.toUpperCase());
  }
}
