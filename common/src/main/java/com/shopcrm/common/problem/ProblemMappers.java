package com.shopcrm.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become RFC 9457 problem+json answers. Bad input is always a
 * 4xx with a clear message; anything unexpected is a logged 500 that reveals nothing internal.
 */
public class ProblemMappers {

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    return respond(e.problem());
  }

  @ServerExceptionMapper
  public Response constraintViolation(ConstraintViolationException e) {
    List<Problem.FieldError> errors = e.getConstraintViolations().stream()
        .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
        .sorted(Comparator.comparing(Problem.FieldError::field))
        .toList();
    String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
    return respond(Problem.validation(detail, errors));
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      String field = path(u);
      return respond(Problem.validation("unknown field '" + field + "'",
          List.of(new Problem.FieldError(field, "unknown field"))));
    }
    if (e instanceof InvalidFormatException f) {
      String field = path(f);
      String message = "cannot read " + describe(f.getValue()) + " as " + typeName(f.getTargetType());
      return respond(Problem.validation(field + ": " + message, List.of(new Problem.FieldError(field, message))));
    }
    if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      String field = path(m);
      String message = "wrong type, expected " + typeName(m.getTargetType());
      return respond(Problem.validation(field + ": " + message, List.of(new Problem.FieldError(field, message))));
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String field = path(m);
      String message = m.getOriginalMessage();
      return respond(Problem.validation(field + ": " + message, List.of(new Problem.FieldError(field, message))));
    }
    return respond(Problem.of(400, "Malformed JSON", "The request body is not valid JSON: " + e.getOriginalMessage()));
  }

  /**
   * Unknown fields and wrong types in a request body. Quarkus REST registers a built-in mapper for
   * exactly this type (a plain 400 without the field), which would win over {@link #json}: this one
   * replaces it.
   */
  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e) {
    return json(e);
  }

  @ServerExceptionMapper
  public Response unauthorized(UnauthorizedException e) {
    return respond(Problem.of(401, "Unauthorized", "A valid internal token is required."));
  }

  @ServerExceptionMapper
  public Response authenticationFailed(AuthenticationFailedException e) {
    return respond(Problem.of(401, "Unauthorized", "A valid internal token is required."));
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return respond(Problem.of(403, "Forbidden", "Your role does not allow this action."));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    if (e.getCause() instanceof JsonProcessingException json) { // body reader wrapped a JSON error
      return json(json);
    }
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      Log.error("request failed", e);
      return respond(Problem.of(status, "Server error", "The request could not be completed."));
    }
    String title = e.getResponse().getStatusInfo().getReasonPhrase();
    return respond(Problem.of(status, title == null ? "Error" : title, e.getMessage()));
  }

  @ServerExceptionMapper
  public Response database(PgException e) {
    String state = e.getSqlState();
    if (state != null && state.startsWith("23")) {
      return respond(Problem.of(409, "Conflict", "The change conflicts with existing data."));
    }
    if (state != null && state.startsWith("22")) {
      return respond(Problem.of(400, "Bad request", "A value is out of range or malformed."));
    }
    if (state != null && (state.startsWith("08") || state.startsWith("57") || state.startsWith("53"))) {
      return unavailable(e); // connection lost, server shutting down or starting, out of resources
    }
    Log.error("database error", e);
    return respond(Problem.of(500, "Server error", "The request could not be completed."));
  }

  @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
  public Response unexpected(Throwable e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ProblemException p) {
        return problem(p);
      }
      if (cause instanceof PgException pg) {
        return database(pg);
      }
      if (cause instanceof ConstraintViolationException cv) {
        return constraintViolation(cv);
      }
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ClosedConnectionException || cause instanceof ConnectException
          || cause instanceof SocketException) {
        return unavailable(e);
      }
    }
    Log.error("unexpected error", e);
    return respond(Problem.of(500, "Server error", "The request could not be completed."));
  }

  /**
   * The database (or a service this one calls) cannot be reached right now — a restart, a failover, a
   * lost connection: 503 with {@code Retry-After}, nothing was done, the caller may retry. The pools
   * reconnect by themselves.
   */
  static Response unavailable(Throwable e) {
    Log.warnf("temporarily unavailable: %s", e.toString());
    return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "2")
        .entity(Problem.of(503, "Service unavailable", "A resource this service needs is unavailable for a moment;"
            + " nothing was changed. Try again shortly.")).build();
  }

  public static Response respond(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
  }

  private static String fieldOf(ConstraintViolation<?> v) {
    // "create.arg1.name" -> "name": drop the method and parameter segments of the path.
    String path = v.getPropertyPath().toString();
    String[] parts = path.split("\\.", 3);
    String field = parts.length == 3 ? parts[2] : parts[parts.length - 1];
    return com.shopcrm.common.json.JsonNames.snake(field);
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  private static String describe(Object value) {
    return value instanceof String s ? "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'" : String.valueOf(value);
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
      return "a date (" + (type == java.time.LocalDate.class ? "YYYY-MM-DD" : "ISO-8601") + ")";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase();
    }
    return "an object";
  }
}
