package com.shopcrm.gateway.auth;

/** The request carries no usable API key; {@code detail} says why (never which keys exist). */
public final class Unauthenticated extends RuntimeException {

  private final boolean credentialsGiven;

  public Unauthenticated(String detail, boolean credentialsGiven) {
    super(detail, null, false, false);
    this.credentialsGiven = credentialsGiven;
  }

  /** A key (or something like one) was sent: RFC 6750 {@code error="invalid_token"}. */
  public boolean credentialsGiven() {
    return credentialsGiven;
  }
}
