package com.shopcrm.common.web;

import com.shopcrm.common.problem.ProblemException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Query parameters read as text and parsed here, so a malformed one is a 400 problem naming it
 * (a typed JAX-RS parameter would turn {@code ?from=yesterday} into a bare 404).
 */
public final class QueryParams {

  private QueryParams() {
  }

  /** The trimmed value, or {@code null} when absent or blank. */
  public static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** An ISO-8601 instant with offset, or a date {@code YYYY-MM-DD} (its start, UTC); null when absent. */
  public static OffsetDateTime instant(String field, String value) {
    String text = blankToNull(value);
    if (text == null) {
      return null;
    }
    try {
      return text.length() == 10 ? LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC)
          : OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid(field, "must be an ISO-8601 instant with offset or a date YYYY-MM-DD");
    }
  }

  /** A whole number; null when absent. */
  public static Long longParam(String field, String value) {
    String text = blankToNull(value);
    if (text == null) {
      return null;
    }
    try {
      return Long.valueOf(text);
    } catch (NumberFormatException e) {
      throw ProblemException.invalid(field, "must be a whole number");
    }
  }
}
