package com.shopcrm.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.shopcrm.common.json.JsonNames;
import jakarta.validation.ConstraintViolation;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Bean-validation and JSON-reading failures as field errors (snake_case paths like {@code tags[2]}),
 * for endpoints that validate items one by one (batches) and report each item's errors.
 */
public final class Violations {

  private Violations() {
  }

  public static List<Problem.FieldError> fieldErrors(Collection<? extends ConstraintViolation<?>> violations) {
    return violations.stream()
        .map(v -> new Problem.FieldError(field(v.getPropertyPath().toString()), v.getMessage()))
        .distinct()
        .sorted(Comparator.comparing(Problem.FieldError::field))
        .toList();
  }

  public static ProblemException problem(List<Problem.FieldError> errors) {
    return new ProblemException(Problem.validation(describe(errors), errors));
  }

  public static String describe(List<Problem.FieldError> errors) {
    return errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
  }

  /** {@link #fieldError} for Jackson's failures, a plain "cannot be read" for a value it refused otherwise. */
  public static Problem.FieldError readError(Exception e) {
    return e instanceof JsonProcessingException j ? fieldError(j) : new Problem.FieldError("", "cannot be read");
  }

  /** A JSON reading failure of one item: which field, and what was wrong. */
  public static Problem.FieldError fieldError(JsonProcessingException e) {
    String field = e instanceof JsonMappingException m && !m.getPath().isEmpty()
        ? m.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining(".")).replace(".[", "[")
        : "";
    if (e instanceof UnrecognizedPropertyException) {
      return new Problem.FieldError(field, "unknown field");
    }
    return new Problem.FieldError(field, "wrong type or format");
  }

  public static String field(String path) {
    return JsonNames.snake(path.replace(".<list element>", "").replace(".<map value>", ""));
  }
}
