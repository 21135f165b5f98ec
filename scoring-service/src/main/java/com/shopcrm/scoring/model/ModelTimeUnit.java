package com.shopcrm.scoring.model;

import java.util.Locale;

/** The period the BTYD models count time in: a scoring run's {@code time_unit}. */
public enum ModelTimeUnit {
  DAYS(1),
  WEEKS(7);

  private final int days;

  ModelTimeUnit(int days) {
    this.days = days;
  }

  /** How many calendar days one period lasts. */
  public int days() {
    return days;
  }

  /** A number of days expressed in this unit. */
  public double fromDays(double days) {
    return days / this.days;
  }

  /** A number of periods of this unit expressed in days. */
  public double toDays(double periods) {
    return periods * days;
  }

  /** The API id ({@code days} or {@code weeks}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The unit of an API id, case-insensitively. */
  public static ModelTimeUnit fromId(String id) {
    for (ModelTimeUnit unit : values()) {
      if (unit.id().equalsIgnoreCase(id)) {
        return unit;
      }
    }
    throw new IllegalArgumentException("time_unit must be days or weeks, got " + id);
  }
}
