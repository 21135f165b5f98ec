package com.shopcrm.campaign.service;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Quiet hours in shop time (e.g. 22:00–08:00): a send falling in them moves to the next end. */
public record QuietHours(LocalTime from, LocalTime until, ZoneId zone) {

  /** {@code at} itself, or the next {@code until} when {@code at} is in quiet hours. */
  public Instant sendTime(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    LocalTime t = local.toLocalTime();
    boolean wraps = from.isAfter(until); // 22:00–08:00 spans midnight
    boolean quiet = wraps ? !t.isBefore(from) || t.isBefore(until) : !t.isBefore(from) && t.isBefore(until);
    if (!quiet) {
      return at;
    }
    ZonedDateTime end = local.with(until);
    if (!end.isAfter(local)) {
      end = local.plusDays(1).with(until);
    }
    return end.toInstant();
  }
}
