package com.shopcrm.common.page;

import com.shopcrm.common.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque keyset cursors: the key of the last row of the previous page, base64url-encoded. */
public final class Cursor {
  private static final String PREFIX = "k:";

  private Cursor() {
  }

  public static String encode(long lastKey) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
  }

  /** The key after which the page starts, or {@code null} for the first page. */
  public static Long decode(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!text.startsWith(PREFIX)) {
        throw new IllegalArgumentException(text);
      }
      return Long.parseLong(text.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("cursor", "not a cursor this API issued");
    }
  }
}
