package com.shopcrm.order.events;

/** What one delivery of one event to one subscriber came to. */
record Attempt(Kind kind, Integer status, String error) {

  enum Kind {
    /** 2xx, or 409 (the subscriber already has it). */
    DELIVERED,
    /** Any other 4xx but 408/429: the subscriber will never take it; recorded and skipped. */
    POISON,
    /** 5xx, 408, 429: the subscriber answered but could not take it now; retried with back-off. */
    RETRY,
    /** Connection refused, timeout, or no service token for the tenant: nothing can be delivered now. */
    UNREACHABLE
  }

  static final Attempt DELIVERED = new Attempt(Kind.DELIVERED, null, null);

  static Attempt ofStatus(int status, String body) {
    if ((status >= 200 && status < 300) || status == 409) {
      return new Attempt(Kind.DELIVERED, status, null);
    }
    String error = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
      return new Attempt(Kind.POISON, status, error);
    }
    return new Attempt(Kind.RETRY, status, error);
  }

  static Attempt unreachable(String error) {
    return new Attempt(Kind.UNREACHABLE, null, abbreviate(error));
  }

  boolean failed() {
    return kind == Kind.RETRY || kind == Kind.UNREACHABLE;
  }

  /** Without event details: safe to show every tenant in the subscriber-wide status. */
  String generalError() {
    return status != null ? "HTTP " + status : error;
  }

  private static String abbreviate(String text) {
    return text == null ? null : text.length() <= 500 ? text : text.substring(0, 500) + "...";
  }
}
