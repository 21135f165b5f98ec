package com.shopcrm.gateway.routing;

import java.time.Clock;
import java.time.Duration;

/**
 * One upstream's circuit: after {@code failures} consecutive failed exchanges (unreachable, timed
 * out, 502/503/504) it opens and requests are refused at once for {@code openFor}; then one request
 * is let through as a probe (half-open): its success closes the circuit, its failure opens it again.
 * A probe whose outcome never comes back (the client went away) is replaced after another
 * {@code openFor}.
 *
 * <p>Written here rather than taken from SmallRye Fault Tolerance: the proxied exchange is a chain
 * of Vert.x callbacks (interceptors), not one call a guard could wrap, and outcomes are reported from
 * two places (no answer / the answer's status). The state is a few fields behind one monitor.
 */
public final class CircuitBreaker {

  public enum State { CLOSED, OPEN, HALF_OPEN }

  private final int threshold;
  private final Duration openFor;
  private final Clock clock;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openUntilMillis;
  private long probeStartedMillis;

  public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
    if (threshold < 1) {
      throw new IllegalArgumentException("breaker threshold must be at least 1");
    }
    this.threshold = threshold;
    this.openFor = openFor;
    this.clock = clock;
  }

  /** Whether a request may go to the upstream now; when it may not, {@link #retryAfterSeconds()} says when to retry. */
  public synchronized boolean tryAcquire() {
    long now = clock.millis();
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (now < openUntilMillis) {
          return false;
        }
        state = State.HALF_OPEN;
        probeStartedMillis = now;
        return true;
      default: // HALF_OPEN: one probe at a time
        if (now - probeStartedMillis >= openFor.toMillis()) {
          probeStartedMillis = now;
          return true;
        }
        return false;
    }
  }

  public synchronized void onSuccess() {
    state = State.CLOSED;
    consecutiveFailures = 0;
  }

  public synchronized void onFailure() {
    consecutiveFailures++;
    if (state == State.HALF_OPEN || state == State.CLOSED && consecutiveFailures >= threshold) {
      state = State.OPEN;
      openUntilMillis = clock.millis() + openFor.toMillis();
    }
  }

  public synchronized State state() {
    return state == State.OPEN && clock.millis() >= openUntilMillis ? State.HALF_OPEN : state;
  }

  /** Whole seconds until the next probe may go (at least 1). */
  public synchronized long retryAfterSeconds() {
    long waitMillis = state == State.OPEN ? openUntilMillis - clock.millis() : openFor.toMillis();
    return Math.max(1, (waitMillis + 999) / 1000);
  }
}
