package com.shopcrm.campaign.service;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * When the runs of a recurring campaign fall: {@code daily}, {@code weekly}, {@code monthly} or an
 * ISO-8601 period ({@code P3D}, {@code P1M}: calendar steps in the shop's zone, so a monthly run keeps
 * its day and hour) or duration ({@code PT12H}), at least an hour.
 */
public final class RunCalendar {

  static final Duration SHORTEST = Duration.ofHours(1);

  private final Period period;
  private final Duration duration;

  private RunCalendar(Period period, Duration duration) {
    this.period = period;
    this.duration = duration;
  }

  /** The calendar of {@code every}; {@code IllegalArgumentException} with the reason when it is not one. */
  public static RunCalendar parse(String every) {
    if (every == null || every.isBlank()) {
      throw new IllegalArgumentException("required for a recurring schedule");
    }
    String text = every.trim().toUpperCase(Locale.ROOT);
    switch (text) {
      case "DAILY" -> text = "P1D";
      case "WEEKLY" -> text = "P7D";
      case "MONTHLY" -> text = "P1M";
      default -> { }
    }
    try {
      if (text.startsWith("PT")) {
        Duration d = Duration.parse(text);
        if (d.compareTo(SHORTEST) < 0) {
          throw new IllegalArgumentException("must be at least an hour (PT1H)");
        }
        return new RunCalendar(null, d);
      }
      Period p = Period.parse(text);
      if (p.isNegative() || p.isZero()) {
        throw new IllegalArgumentException("must be a positive period");
      }
      return new RunCalendar(p, null);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("must be daily, weekly, monthly or an ISO-8601 period such as P3D or PT12H");
    }
  }

  /** The run after the one at {@code from}. */
  public OffsetDateTime next(OffsetDateTime from, ZoneId zone) {
    OffsetDateTime next = period != null ? from.atZoneSameInstant(zone).plus(period).toOffsetDateTime()
        : from.plus(duration);
    return next.withOffsetSameInstant(ZoneOffset.UTC);
  }

  /** The first run after {@code from} that is later than {@code now} (missed runs are not made up). */
  public OffsetDateTime nextAfter(OffsetDateTime from, OffsetDateTime now, ZoneId zone) {
    OffsetDateTime next = next(from, zone);
    while (!next.isAfter(now)) {
      next = next(next, zone);
    }
    return next;
  }
}
