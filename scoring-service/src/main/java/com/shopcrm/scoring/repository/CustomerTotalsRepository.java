package com.shopcrm.scoring.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import org.postgresql.PGStatement;

/**
 * A full scoring run's single read of the purchase facts: ONE aggregate query, streamed (JDBC
 * cursor, {@value #FETCH} rows a round trip), that gives every customer's totals, so the run never
 * holds orders and never reads the facts twice. Plain JDBC rather than the reactive client: the
 * run is a long blocking job on a worker thread, and the same connection then writes the scores
 * with COPY, which only the JDBC driver speaks ({@link ScoreCopyWriter}).
 *
 * <p>Purchase days as everywhere (one per customer and day, the day's counted orders summed net of
 * refunds, as float8). Sums are taken in day order (the window numbers the days; a cursor query
 * never runs in parallel), so they equal, bit for bit, what {@code SummaryBuilder} and
 * {@code CustomerScorer} add up from the same days in Java.
 *
 * <p>Without a calibration end and with nothing after as_of, the same totals come from the
 * per-customer summaries the purchase-fact triggers keep ({@link #streamSummaries}): one row per
 * customer instead of the aggregate.
 */
@ApplicationScoped
public class CustomerTotalsRepository {

  private static final int FETCH = 10_000;

  /** One customer's totals; days are epoch days. */
  public interface Visitor {
    /**
     * @param days purchase days up to as of (at least one)
     * @param total sum of all purchase days' values
     * @param repeatValue sum of the values of the days after the first
     * @param calibrationDays purchase days up to the calibration end (0: not in the cohort)
     * @param calibrationLastDay last of those (undefined when none)
     * @param calibrationRepeatValue sum of their values after the first day
     * @param holdoutDays the purchase days after the calibration end, ascending (empty without one)
     */
    void customer(long customerId, int days, int firstDay, int lastDay, double total, double repeatValue,
        int calibrationDays, int calibrationLastDay, double calibrationRepeatValue, int[] holdoutDays);
  }

  /**
   * Streams the totals of the tenant's customers with a counted purchase up to {@code asOf}, in
   * customer id order, in the connection's current transaction.
   */
  public int stream(Connection c, String tenantId, LocalDate asOf, LocalDate calibrationEnd, Visitor visitor)
      throws SQLException {
    int cal = (int) calibrationEnd.toEpochDay();
    // Without a calibration end the calibration columns equal the as-of ones: not computed twice
    // (each aggregate costs the server a call per purchase day).
    String calibration = calibrationEnd.isBefore(asOf) ? """
        count(*) FILTER (WHERE day <= ?), max(day) FILTER (WHERE day <= ?),
        coalesce(sum(v) FILTER (WHERE n > 1 AND day <= ?), 0), array_agg(day) FILTER (WHERE day > ?)"""
        : "-1, NULL, NULL, NULL"; // -1: the same as as of
    try (PreparedStatement ps = c.prepareStatement("""
        SELECT customer_id, count(*), min(day), max(day), sum(v), coalesce(sum(v) FILTER (WHERE n > 1), 0),
               %s
          FROM (SELECT customer_id, purchase_day - DATE '1970-01-01' AS day, v,
                       row_number() OVER (PARTITION BY customer_id ORDER BY purchase_day) AS n
                  FROM (SELECT customer_id, purchase_day, sum(value - refunded)::float8 AS v
                          FROM purchase_fact
                         WHERE tenant_id = ? AND counted AND customer_id IS NOT NULL AND purchase_day <= ?
                         GROUP BY customer_id, purchase_day) per_day) numbered
         GROUP BY customer_id ORDER BY customer_id""".formatted(calibration))) {
      ps.setFetchSize(FETCH);
      int i = 1;
      if (calibrationEnd.isBefore(asOf)) {
        for (; i <= 4; i++) {
          ps.setInt(i, cal);
        }
      }
      ps.setString(i, tenantId);
      ps.setObject(i + 1, asOf);
      int customers = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int days = rs.getInt(2);
          int last = rs.getInt(4);
          double repeat = rs.getDouble(6);
          int calDays = rs.getInt(7);
          if (calDays < 0) {
            visitor.customer(rs.getLong(1), days, rs.getInt(3), last, rs.getDouble(5), repeat, days, last, repeat, NONE);
          } else {
            visitor.customer(rs.getLong(1), days, rs.getInt(3), last, rs.getDouble(5), repeat, calDays, rs.getInt(8),
                rs.getDouble(9), intArray(rs.getString(10)));
          }
          customers++;
        }
      }
      return customers;
    }
  }

  /**
   * Whether the tenant's {@code customer_purchase_summary} rows are exactly what {@link #stream}
   * would aggregate as of {@code asOf} without a calibration end: they cover all counted facts,
   * so they do when no counted purchase of a customer lies after {@code asOf}.
   */
  public boolean summariesCover(Connection c, String tenantId, LocalDate asOf) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("""
        SELECT NOT EXISTS (SELECT 1 FROM purchase_fact
                            WHERE tenant_id = ? AND purchase_day > ? AND counted AND customer_id IS NOT NULL)""")) {
      ps.setString(1, tenantId);
      ps.setObject(2, asOf);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** The number of the tenant's customer summaries (to size the run's columns). */
  public int countSummaries(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM customer_purchase_summary WHERE tenant_id = ?")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * The same totals as {@link #stream} without a calibration end, read from the per-customer
   * summaries the purchase-fact triggers keep (V4 migration): one row per customer instead of an
   * aggregate over every order. Only when {@link #summariesCover} says they are the same.
   */
  public int streamSummaries(Connection c, String tenantId, Visitor visitor) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("""
        SELECT customer_id, purchase_days, first_day - DATE '1970-01-01', last_day - DATE '1970-01-01', total_value,
               repeat_value
          FROM customer_purchase_summary WHERE tenant_id = ? ORDER BY customer_id""")) {
      ps.setFetchSize(FETCH);
      binary(ps);
      ps.setString(1, tenantId);
      int customers = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int days = rs.getInt(2);
          int last = rs.getInt(4);
          double repeat = rs.getDouble(6);
          visitor.customer(rs.getLong(1), days, rs.getInt(3), last, rs.getDouble(5), repeat, days, last, repeat, NONE);
          customers++;
        }
      }
      return customers;
    }
  }

  private static final int[] NONE = new int[0];

  /**
   * Server-prepared from the first execution, so the driver fetches the rows in binary (no text
   * parsing of a million rows' numbers; by default only the 5th execution would be). Not for
   * {@link #stream}: its holdout days come as an array read in text form.
   */
  private static void binary(PreparedStatement ps) throws SQLException {
    ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
  }

  /** Parses an int[] in PostgreSQL's text form, {@code {1,2,3}} (null: none). */
  private static int[] intArray(String text) {
    if (text == null || text.length() <= 2) {
      return NONE;
    }
    int count = 1;
    for (int i = 1; i < text.length() - 1; i++) {
      if (text.charAt(i) == ',') {
        count++;
      }
    }
    int[] out = new int[count];
    int j = 0;
    int value = 0;
    boolean negative = false;
    for (int i = 1; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == ',' || ch == '}') {
        out[j++] = negative ? -value : value;
        value = 0;
        negative = false;
      } else if (ch == '-') {
        negative = true;
      } else {
        value = value * 10 + (ch - '0');
      }
    }
    return out;
  }
}
