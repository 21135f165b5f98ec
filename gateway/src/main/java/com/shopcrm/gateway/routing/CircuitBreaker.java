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
 * <p>Every admitted request holds a {@link Permit} and reports its outcome with it. Only the
 * outcomes of requests admitted since the circuit last changed count: under sustained overload many
 * requests admitted before the circuit opened finish long after (up to the response timeout), and
 * if their late successes closed it or their late failures re-opened it while a probe was out, a
 * circuit could flap or stay open however well the service recovered. Such stale outcomes are
 * ignored; while half-open only the probe's outcome decides.
 *
 * <p>Written here rather than taken from SmallRye Fault Tolerance: the proxied exchange is a chain
 * of Vert.x callbacks (interceptors), not one call a guard could wrap, and outcomes are reported from
 * two places (no answer / the answer's status). The state is a few fields behind one monitor.
 */
public final class CircuitBreaker {

  public enum State { CLOSED, OPEN, HALF_OPEN }

  /** An admitted request: the circuit's generation it was admitted in, and whether it is the probe. */
  public record Permit(long generation, boolean probe) {
  }

  private final int threshold;
  private final Duration openFor;
  private final Clock clock;

  private State state = State.CLOSED;
  /** Moves on at every change of state: outcomes of permits of an earlier generation are stale. */
  private long generation;
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

  /**
   * A permit when a request may go to the upstream now; {@code null} when it may not
   * ({@link #retryAfterSeconds()} says when to retry).
   */
  public synchronized Permit tryAcquire() {
    long now = clock.millis();
    switch (state) {
      case CLOSED:
        return new Permit(generation, false);
      case OPEN:
        if (now < openUntilMillis) {
          return null;
        }
        moveTo(State.HALF_OPEN);
        probeStartedMillis = now;
        return new Permit(generation, true);
      default: // HALF_OPEN: one probe at a time
        if (now - probeStartedMillis >= openFor.toMillis()) {
          probeStartedMillis = now; // the earlier probe's outcome never came: this one replaces it
          return new Permit(generation, true);
        }
        return null;
    }
  }

  public synchronized void onSuccess(Permit permit) {
    if (permit.generation() != generation) {
      return;
    }
    if (state == State.HALF_OPEN && permit.probe()) {
      moveTo(State.CLOSED);
    }
    if (state == State.CLOSED) {
      consecutiveFailures = 0;
    }
  }

  public synchronized void onFailure(Permit permit) {
    if (permit.generation() != generation) {
      return;
    }
    if (state == State.HALF_OPEN && permit.probe() || state == State.CLOSED && ++consecutiveFailures >= threshold) {
      moveTo(State.OPEN);
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

  private void moveTo(State next) {
    state = next;
    generation++;
    consecutiveFailures = 0;
  }
}
