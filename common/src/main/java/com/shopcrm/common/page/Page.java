package com.shopcrm.common.page;

import java.util.List;
import java.util.function.Function;

/** One page of a list: {@code {"items": [...], "next_cursor": "..." | null}} (ARCHITECTURE §4). */
public record Page<T>(List<T> items, String nextCursor) {

  /**
   * Builds a page from rows fetched with {@code limit + 1}: the extra row only tells that there is
   * a next page, whose cursor is the key of the last row shown.
   */
  public static <T> Page<T> of(List<T> rowsPlusOne, PageRequest request, Function<T, Long> key) {
    if (rowsPlusOne.size() <= request.limit()) {
      return new Page<>(rowsPlusOne, null);
    }
    List<T> shown = rowsPlusOne.subList(0, request.limit());
    return new Page<>(List.copyOf(shown), Cursor.encode(key.apply(shown.get(shown.size() - 1))));
  }

  public <R> Page<R> map(Function<T, R> mapper) {
    return new Page<>(items.stream().map(mapper).toList(), nextCursor);
  }
}
