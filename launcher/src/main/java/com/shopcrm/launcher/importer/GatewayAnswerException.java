package com.shopcrm.launcher.importer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway (or the service behind it) answered with an error status: an RFC 9457 problem when it could,
 * else whatever body came. {@link #describe()} is the readable form for the operator.
 */
public class GatewayAnswerException extends RuntimeException {

  private final String what;
  private final int status;
  private final String title;
  private final String detail;
  private final List<String> fieldErrors;

  GatewayAnswerException(String what, int status, String title, String detail, List<String> fieldErrors) {
    super(what + ": " + status + (title == null ? "" : " " + title) + (detail == null ? "" : ": " + detail));
    this.what = what;
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.fieldErrors = List.copyOf(fieldErrors);
  }

  /** From an answer's status and body, which may be problem+json, other JSON, text or empty. */
  static GatewayAnswerException of(String what, int status, JsonNode problem, String rawBody) {
    if (problem != null && problem.isObject()) {
      List<String> fields = new ArrayList<>();
      for (JsonNode error : problem.path("errors")) {
        String field = error.path("field").asText("");
        String message = error.path("message").asText(error.toString());
        fields.add(field.isEmpty() ? message : field + ": " + message);
      }
      String title = problem.hasNonNull("title") ? problem.get("title").asText() : null;
      String detail = problem.hasNonNull("detail") ? problem.get("detail").asText() : null;
      return new GatewayAnswerException(what, status, title, detail, fields);
    }
    String body = rawBody == null ? "" : rawBody.strip();
    if (body.length() > 500) {
      body = body.substring(0, 500) + " ...";
    }
    return new GatewayAnswerException(what, status, null, body.isEmpty() ? null : body, List.of());
  }

  public int status() {
    return status;
  }

  /** Several lines: what failed, the status and title, the detail, each field error, and a hint for 401/403. */
  public String describe() {
    StringBuilder text = new StringBuilder(what).append(": HTTP ").append(status);
    if (title != null) {
      text.append(' ').append(title);
    }
    if (detail != null) {
      text.append(System.lineSeparator()).append("  ").append(detail);
    }
    for (String field : fieldErrors) {
      text.append(System.lineSeparator()).append("  - ").append(field);
    }
    String hint = switch (status) {
      case 401 -> "The gateway does not know this API key. Use a tenant's key (--key or CRM_API_KEY), not the"
          + " platform admin key; crm import --help shows how to make one.";
      case 403 -> "Imports need a shop's API key with the admin, marketer, agent or integration role (the platform"
          + " admin key acts on no shop).";
      case 413 -> "The file is larger than the gateway accepts (CRM_GATEWAY_MAX_BODY_SIZE).";
      default -> null;
    };
    if (hint != null) {
      text.append(System.lineSeparator()).append("  ").append(hint);
    }
    return text.toString();
  }
}
