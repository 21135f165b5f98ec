package com.shopcrm.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  /** A clock the test moves. */
  static final class ManualClock extends Clock {
    long millis = 1_000_000;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  private final ManualClock clock = new ManualClock();
  private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(5), clock);

  @Test
  void opensAfterConsecutiveFailuresOnly() {
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess(); // resets the count
    breaker.onFailure();
    breaker.onFailure();
    assertTrue(breaker.tryAcquire());
    breaker.onFailure();
    assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    assertFalse(breaker.tryAcquire());
    assertEquals(5, breaker.retryAfterSeconds());
    clock.millis += 2_100;
    assertEquals(3, breaker.retryAfterSeconds());
  }

  @Test
  void letsOneProbeThroughWhenHalfOpenAndClosesOnItsSuccess() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure();
    }
    clock.millis += 5_000;
    assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
    assertTrue(breaker.tryAcquire(), "the probe");
    assertFalse(breaker.tryAcquire(), "one probe at a time");
    breaker.onSuccess();
    assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    assertTrue(breaker.tryAcquire());
  }

  @Test
  void reopensWhenTheProbeFails() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure();
    }
    clock.millis += 5_000;
    assertTrue(breaker.tryAcquire());
    breaker.onFailure();
    assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    assertFalse(breaker.tryAcquire());
    clock.millis += 5_000;
    assertTrue(breaker.tryAcquire());
  }

  @Test
  void replacesAProbeWhoseOutcomeNeverCame() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure();
    }
    clock.millis += 5_000;
    assertTrue(breaker.tryAcquire());
    clock.millis += 4_999;
    assertFalse(breaker.tryAcquire());
    clock.millis += 1;
    assertTrue(breaker.tryAcquire());
  }
}
