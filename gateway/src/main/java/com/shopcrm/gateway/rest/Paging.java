package com.shopcrm.gateway.rest;

import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.ProblemException;

/** {@code ?limit=&cursor=} read as text, so {@code ?limit=ten} is a 400 naming the field, not a 404. */
final class Paging {
  private Paging() {
  }

  static PageRequest of(String limit, String cursor) {
    if (limit == null || limit.isBlank()) {
      return PageRequest.of(null, cursor);
    }
    try {
      return PageRequest.of(Integer.valueOf(limit.trim()), cursor);
    } catch (NumberFormatException e) {
      throw ProblemException.invalid("limit", "must be a whole number between 1 and " + PageRequest.MAX_LIMIT);
    }
  }
}
