package com.shopcrm.customer.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One item's outcome in a bulk call, by its index in the request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchItemResult(int index, Long id, String externalId, Status status, String error) {

  public enum Status {
    @com.fasterxml.jackson.annotation.JsonProperty("created") CREATED,
    @com.fasterxml.jackson.annotation.JsonProperty("updated") UPDATED,
    @com.fasterxml.jackson.annotation.JsonProperty("unchanged") UNCHANGED,
    @com.fasterxml.jackson.annotation.JsonProperty("error") ERROR
  }

  public static BatchItemResult error(int index, String externalId, String error) {
    return new BatchItemResult(index, null, externalId, Status.ERROR, error);
  }
}
