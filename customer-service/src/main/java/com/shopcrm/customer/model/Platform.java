package com.shopcrm.customer.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.shopcrm.common.problem.ProblemException;
import java.util.Arrays;

/** Where a customer's external id comes from. */
public enum Platform {
  @JsonProperty("taobao") TAOBAO,
  @JsonProperty("tmall") TMALL,
  @JsonProperty("jd") JD,
  @JsonProperty("own_site") OWN_SITE,
  @JsonProperty("offline") OFFLINE;

  public static final Platform DEFAULT = OWN_SITE;

  /** The name used in JSON and in the database. */
  public String wire() {
    return name().toLowerCase();
  }

  public static Platform fromWire(String value) {
    return Arrays.stream(values()).filter(p -> p.wire().equals(value)).findFirst().orElse(null);
  }

  /** A query parameter: {@code null} when absent, 400 when not a platform. */
  public static Platform param(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Platform platform = fromWire(value);
    if (platform == null) {
      throw ProblemException.invalid(field, "must be one of taobao, tmall, jd, own_site, offline");
    }
    return platform;
  }
}
