package com.shopcrm.order.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/** Where a buyer's external id comes from (the same values as customer-service's platforms). */
public enum Platform {
  @JsonProperty("taobao") TAOBAO,
  @JsonProperty("tmall") TMALL,
  @JsonProperty("jd") JD,
  @JsonProperty("own_site") OWN_SITE,
  @JsonProperty("offline") OFFLINE;

  public static final Platform DEFAULT = OWN_SITE;

  public String wire() {
    return name().toLowerCase();
  }

  public static Platform fromWire(String value) {
    return Arrays.stream(values()).filter(p -> p.wire().equals(value)).findFirst().orElse(null);
  }
}
