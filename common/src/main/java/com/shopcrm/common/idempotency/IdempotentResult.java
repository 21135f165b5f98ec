package com.shopcrm.common.idempotency;

/**
 * What a creating call answered: the status, the body (serialised with the service's JSON
 * conventions) and an optional {@code Location}. This is what a retry with the same
 * {@code Idempotency-Key} gets back.
 */
public record IdempotentResult(int status, Object body, String location) {

  public static IdempotentResult created(Object body, String location) {
    return new IdempotentResult(201, body, location);
  }

  public static IdempotentResult ok(Object body) {
    return new IdempotentResult(200, body, null);
  }
}
