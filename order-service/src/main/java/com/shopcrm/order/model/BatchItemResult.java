package com.shopcrm.order.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One item's outcome in {@code POST /orders/batch}, by its index in the request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchItemResult(int index, Long id, String orderNo, Status status, Boolean customerPending,
    String error) {

  public enum Status {
    @JsonProperty("created") CREATED,
    @JsonProperty("existing") EXISTING,
    @JsonProperty("error") ERROR
  }

  public static BatchItemResult error(int index, String orderNo, String error) {
    return new BatchItemResult(index, null, orderNo, Status.ERROR, null, error);
  }

  /** {@code {"results": [...]}}: one entry per request item, in request order. */
  public record Results(List<BatchItemResult> results) {
  }
}
