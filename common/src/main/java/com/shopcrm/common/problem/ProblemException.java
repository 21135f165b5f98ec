package com.shopcrm.common.problem;

/** Thrown (or used to fail a {@code Uni}) anywhere to answer with the given problem. */
public class ProblemException extends RuntimeException {

  private final Problem problem;

  public ProblemException(Problem problem) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  public static ProblemException notFound(String what, Object id) {
    return new ProblemException(Problem.of(404, "Not found", what + " " + id + " does not exist"));
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(Problem.of(409, "Conflict", detail));
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(Problem.of(400, "Bad request", detail));
  }

  public static ProblemException invalid(String field, String message) {
    return new ProblemException(Problem.validation(field + ": " + message,
        java.util.List.of(new Problem.FieldError(field, message))));
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(Problem.of(403, "Forbidden", detail));
  }
}
