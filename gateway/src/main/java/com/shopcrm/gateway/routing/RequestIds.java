package com.shopcrm.gateway.routing;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** The request id: a client's own when it is sane (short, printable, no spaces), else a new UUID. */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

  private RequestIds() {
  }

  public static String acceptOrGenerate(String fromClient) {
    return fromClient != null && SANE.matcher(fromClient).matches() ? fromClient : generate();
  }

  /**
   * A random (version 4) UUID from the thread's own generator: a request id names a request in the
   * logs, it is no secret, and {@link UUID#randomUUID()} draws on the shared SecureRandom, one lock
   * for every event loop.
   */
  static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = random.nextLong() & 0xffffffffffff0fffL | 0x0000000000004000L;
    long least = random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }
}
