package com.shopcrm.launcher;

/** A failure the operator can act on; the message says what happened and where to look. */
public class PlatformException extends RuntimeException {

  public PlatformException(String message) {
    super(message);
  }

  public PlatformException(String message, Throwable cause) {
    super(message, cause);
  }
}
