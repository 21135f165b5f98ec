package com.shopcrm.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem body. {@code type} is a stable URI naming the kind of problem; validation
 * problems list each field in {@code errors}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_BASE = "https://shop-crm.dev/problems/";

  public record FieldError(String field, String message) {
  }

  public static Problem of(int status, String title, String detail) {
    return new Problem(TYPE_BASE + slug(title), title, status, detail, null);
  }

  public static Problem validation(String detail, List<FieldError> errors) {
    return new Problem(TYPE_BASE + "validation", "Invalid request", 400, detail, errors);
  }

  private static String slug(String title) {
    return title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
