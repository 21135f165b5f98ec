package com.shopcrm.campaign;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The service's clock in tests: real time moved by an offset (replaces ClockProducer's). */
@Singleton
public class TestClock extends Clock {

  private volatile Duration offset = Duration.ZERO;

  /** From now on the clock reads {@code at} and runs on from there. */
  public void setTo(Instant at) {
    offset = Duration.between(Instant.now(), at);
  }

  public void reset() {
    offset = Duration.ZERO;
  }

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
    return Instant.now().plus(offset);
  }
}
