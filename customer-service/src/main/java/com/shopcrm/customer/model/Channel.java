package com.shopcrm.customer.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Contact channels that need consent. */
public enum Channel {
  @JsonProperty("sms") SMS,
  @JsonProperty("email") EMAIL,
  @JsonProperty("app") APP;

  public String wire() {
    return name().toLowerCase();
  }

  public static Channel fromWire(String value) {
    return valueOf(value.toUpperCase());
  }
}
