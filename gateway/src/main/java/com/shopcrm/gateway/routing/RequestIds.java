package com.shopcrm.gateway.routing;

import java.util.UUID;
import java.util.regex.Pattern;

/** The request id: a client's own when it is sane (short, printable, no spaces), else a new UUID. */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

  private RequestIds() {
  }

  public static String acceptOrGenerate(String fromClient) {
    return fromClient != null && SANE.matcher(fromClient).matches() ? fromClient : UUID.randomUUID().toString();
  }
}
