package com.shopcrm.scoring.model;

/**
 * The BTYD sufficient statistics of one customer (ARCHITECTURE §4 "Model definitions"), in the
 * run's time unit.
 *
 * @param frequency x: the number of repeat purchase days (distinct purchase days minus one)
 * @param recency t_x: time from the first to the last purchase day (0 when x = 0)
 * @param age T: time from the first purchase day to the calibration end
 * @param monetary mean value of the repeat purchase days (each day's purchases summed); 0 when x = 0
 */
public record CustomerSummary(int frequency, double recency, double age, double monetary) {

  public CustomerSummary {
    if (frequency < 0) {
      throw new IllegalArgumentException("frequency must be >= 0, got " + frequency);
    }
    if (!(recency >= 0 && age >= recency) || !Double.isFinite(age)) {
      throw new IllegalArgumentException(
          "need 0 <= recency <= age, got recency=" + recency + ", age=" + age);
    }
    if (frequency == 0 && recency != 0) {
      throw new IllegalArgumentException("a customer without repeat purchases has recency 0, got " + recency);
    }
    if (!Double.isFinite(monetary) || monetary < 0) {
      throw new IllegalArgumentException("monetary must be finite and >= 0, got " + monetary);
    }
  }

  /** A summary without monetary value (for the BG/NBD alone). */
  public static CustomerSummary of(int frequency, double recency, double age) {
    return new CustomerSummary(frequency, recency, age, 0.0);
  }

  /** Whether the customer has bought again after the first purchase day. */
  public boolean isRepeatBuyer() {
    return frequency > 0;
  }
}
