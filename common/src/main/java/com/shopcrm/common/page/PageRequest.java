package com.shopcrm.common.page;

import com.shopcrm.common.problem.ProblemException;

/** {@code ?limit=&cursor=}, validated: limit 1..1000, default 50 (ARCHITECTURE §4). */
public record PageRequest(int limit, Long after) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;

  public static PageRequest of(Integer limit, String cursor) {
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT) {
      throw ProblemException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
    }
    return new PageRequest(size, Cursor.decode(cursor));
  }

  /**
   * As {@link #of(Integer, String)} from the raw query text: take {@code @QueryParam("limit")
   * String}, because a JAX-RS {@code Integer} parameter turns {@code ?limit=ten} into a 404.
   */
  public static PageRequest parse(String limit, String cursor) {
    if (limit == null || limit.isBlank()) {
      return of(null, cursor);
    }
    try {
      return of(Integer.valueOf(limit.trim()), cursor);
    } catch (NumberFormatException e) {
      throw ProblemException.invalid("limit", "must be a whole number between 1 and " + MAX_LIMIT);
    }
  }

  /** Rows to fetch: one more than shown, to know whether a next page exists. */
  public int fetchSize() {
    return limit + 1;
  }
}
