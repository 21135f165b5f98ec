package com.shopcrm.scoring.repository;

import com.shopcrm.scoring.service.ScoreRow;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Replaces a tenant's {@code customer_score} rows with a full run's, in ONE transaction of the
 * given JDBC connection: readers see the old scores until the commit, then all new ones; a failure
 * leaves the old ones.
 *
 * <p>Why this shape: rewriting a million rows by UPDATE (or upsert) creates a new version of each
 * plus index work, one statement per batch; a DELETE of the tenant's rows followed by binary
 * {@code COPY} (streamed while the rows are computed, so scoring and the server's inserting
 * overlap) is the cheapest bulk path PostgreSQL has. Binary, because the server then parses no
 * text (and the client formats none). The table is shared by tenants, so no TRUNCATE.
 *
 * <p>Scores written by order events since the run started survive as before: they are set aside
 * before the DELETE and put back for customers the run did not score (a customer the run scored
 * gets the run's row, as with the upsert it replaces).
 *
 * <p>Values go in as the reactive upsert stored them: numeric(14,2) columns get the double rounded
 * as PostgreSQL's float8-to-numeric cast does (15 significant digits, then half away from zero to
 * cents); p_alive is clamped to [0, 1].
 */
public final class ScoreCopyWriter implements AutoCloseable {

  private static final String COLUMNS = """
      tenant_id, customer_id, recency_days, frequency, monetary, purchase_days, first_purchase_day, last_purchase_day,
      historical_value, average_order_value, r_score, f_score, m_score, rfm_segment, rfm11, lifecycle_stage, p_alive,
      expected_purchases_30d, expected_purchases_90d, expected_purchases_365d, expected_next_order_date,
      expected_avg_order_value, predicted_clv_365d, run_id, as_of, scored_at""";
  private static final short FIELDS = 26;
  private static final long PG_EPOCH_DAY = LocalDate.of(2000, 1, 1).toEpochDay();
  private static final long PG_EPOCH_SECOND = 946_684_800L;
  private static final int FLUSH_AT = 1 << 16;
  private static final MathContext FLOAT8_DIGITS = new MathContext(15, RoundingMode.HALF_EVEN);

  private final Connection connection;
  private final CopyIn copy;
  private final byte[] tenant;
  private final long scoredAtMicros;
  private byte[] buffer = new byte[FLUSH_AT + 4096];
  private int size;
  private int rows;
  private boolean finished;

  private ScoreCopyWriter(Connection connection, CopyIn copy, String tenantId, OffsetDateTime scoredAt) {
    this.connection = connection;
    this.copy = copy;
    this.tenant = tenantId.getBytes(StandardCharsets.UTF_8);
    this.scoredAtMicros = (scoredAt.toEpochSecond() - PG_EPOCH_SECOND) * 1_000_000L + scoredAt.getNano() / 1_000;
  }

  /**
   * Starts the replacement on {@code connection} (auto-commit off): sets aside the tenant's scores
   * written since {@code runStarted}, deletes all of the tenant's scores and opens the COPY.
   */
  public static ScoreCopyWriter start(Connection connection, String tenantId, OffsetDateTime runStarted,
      OffsetDateTime scoredAt) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("CREATE TEMP TABLE score_since_run_start (LIKE customer_score) ON COMMIT DROP");
    }
    try (PreparedStatement ps = connection.prepareStatement(
        "INSERT INTO score_since_run_start SELECT * FROM customer_score WHERE tenant_id = ? AND scored_at >= ?")) {
      ps.setString(1, tenantId);
      ps.setObject(2, runStarted);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = connection.prepareStatement("DELETE FROM customer_score WHERE tenant_id = ?")) {
      ps.setString(1, tenantId);
      ps.executeUpdate();
    }
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
        .copyIn("COPY customer_score (" + COLUMNS + ") FROM STDIN (FORMAT binary)");
    ScoreCopyWriter writer = new ScoreCopyWriter(connection, copy, tenantId, scoredAt);
    writer.header();
    return writer;
  }

  /** Adds one row (sent in chunks while the caller computes the next ones). */
  public void add(ScoreRow s) throws SQLException {
    ensure(1024 + tenant.length);
    putShort(FIELDS);
    putBytes(tenant);
    putLongField(s.customerId());
    putIntField(s.recencyDays());
    putIntField(s.frequency());
    putNumeric(s.monetary());
    putIntField(s.purchaseDays());
    putDate(s.firstPurchaseDay());
    putDate(s.lastPurchaseDay());
    putNumeric(s.historicalValue());
    putNumeric(s.averageOrderValue());
    putSmallint(s.rScore());
    putSmallint(s.fScore());
    putSmallint(s.mScore());
    putText(s.rfmSegment());
    putText(s.rfm11());
    putText(s.lifecycleStage());
    putFloat8(s.pAlive() == null ? null : Math.max(0, Math.min(1, s.pAlive())));
    putFloat8(s.expectedPurchases30d());
    putFloat8(s.expectedPurchases90d());
    putFloat8(s.expectedPurchases365d());
    putDate(s.expectedNextOrderDate());
    putNumeric(s.expectedAvgOrderValue());
    putNumeric(s.predictedClv365d());
    if (s.runId() == null) {
      putNull();
    } else {
      putLongField(s.runId());
    }
    putDate(s.asOf());
    putInt(8);
    putLong(scoredAtMicros);
    rows++;
    if (size >= FLUSH_AT) {
      flush();
    }
  }

  /** Ends the COPY, puts back the set-aside scores of customers the run did not score, commits. */
  public int commit() throws SQLException {
    ensure(2);
    putShort((short) -1);
    flush();
    copy.endCopy();
    finished = true;
    try (Statement st = connection.createStatement()) {
      st.executeUpdate("INSERT INTO customer_score SELECT * FROM score_since_run_start ON CONFLICT DO NOTHING");
    }
    connection.commit();
    return rows;
  }

  /** Without a commit: cancels the COPY and rolls back (the old scores stay). */
  @Override
  public void close() throws SQLException {
    if (!finished) {
      finished = true;
      try {
        if (copy.isActive()) {
          copy.cancelCopy();
        }
      } finally {
        connection.rollback();
      }
    }
  }

  // ---------------------------------------------------------------- binary COPY encoding

  private void header() throws SQLException {
    byte[] signature = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    ensure(signature.length + 8);
    System.arraycopy(signature, 0, buffer, size, signature.length);
    size += signature.length;
    putInt(0); // flags
    putInt(0); // header extension length
  }

  private void flush() throws SQLException {
    if (size > 0) {
      copy.writeToCopy(buffer, 0, size);
      size = 0;
    }
  }

  private void ensure(int bytes) {
    if (size + bytes > buffer.length) {
      buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + bytes));
    }
  }

  private void putNull() {
    putInt(-1);
  }

  private void putIntField(int v) {
    putInt(4);
    putInt(v);
  }

  private void putLongField(long v) {
    putInt(8);
    putLong(v);
  }

  private void putSmallint(Integer v) {
    if (v == null) {
      putNull();
      return;
    }
    putInt(2);
    putShort(v.shortValue());
  }

  private void putFloat8(Double v) {
    if (v == null) {
      putNull();
      return;
    }
    putInt(8);
    putLong(Double.doubleToRawLongBits(v));
  }

  private void putDate(LocalDate d) {
    if (d == null) {
      putNull();
      return;
    }
    putInt(4);
    putInt((int) (d.toEpochDay() - PG_EPOCH_DAY));
  }

  private void putText(String v) {
    if (v == null) {
      putNull();
      return;
    }
    byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
    ensure(bytes.length + 4);
    putBytes(bytes);
  }

  private void putBytes(byte[] bytes) {
    putInt(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  private void putNumeric(Double v) {
    if (v == null) {
      putNull();
      return;
    }
    putNumeric(v.doubleValue());
  }

  /** numeric(14,2) in binary: ndigits, weight, sign, dscale, then base-10000 digits. */
  private void putNumeric(double v) {
    if (Double.isNaN(v)) {
      putInt(8);
      putShort((short) 0);
      putShort((short) 0);
      putShort((short) 0xC000);
      putShort((short) 0);
      return;
    }
    long cents = cents(v);
    boolean negative = cents < 0;
    long abs = Math.abs(cents);
    long integer = abs / 100;
    int fraction = (int) (abs % 100) * 100; // the first base-10000 digit after the point
    short[] digits = new short[6];
    int n = 0;
    // integer part, most significant base-10000 digit first
    short[] intDigits = new short[5];
    int k = 0;
    for (long rest = integer; rest > 0; rest /= 10_000) {
      intDigits[k++] = (short) (rest % 10_000);
    }
    for (int i = k - 1; i >= 0; i--) {
      digits[n++] = intDigits[i];
    }
    int weight = k - 1;
    if (fraction != 0) {
      if (k == 0) {
        weight = -1;
      }
      digits[n++] = (short) fraction;
    }
    // no trailing zero digits (PostgreSQL's normal form)
    while (n > 0 && digits[n - 1] == 0) {
      n--;
    }
    if (n == 0) {
      weight = 0;
    }
    putInt(8 + 2 * n);
    putShort((short) n);
    putShort((short) weight);
    putShort(negative ? (short) 0x4000 : 0);
    putShort((short) 2);
    for (int i = 0; i < n; i++) {
      putShort(digits[i]);
    }
  }

  /**
   * The double in cents as {@code v::float8::numeric(14,2)} gives it: the cast keeps 15 significant
   * digits (round half even), the typmod rounds half away from zero. Away from a half-cent (all but
   * a few values), rounding v * 100 to the nearest integer is the same, without BigDecimal.
   */
  static long cents(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("not a number for numeric(14,2): " + v);
    }
    if (Math.abs(v) < 1e9) {
      double scaled = v * 100;
      double floor = Math.floor(scaled);
      double fraction = scaled - floor;
      if (Math.abs(fraction - 0.5) > 1e-3) {
        return (long) (fraction > 0.5 ? floor + 1 : floor);
      }
    }
    return new BigDecimal(v).round(FLOAT8_DIGITS).setScale(2, RoundingMode.HALF_UP).unscaledValue().longValueExact();
  }

  private void putShort(short v) {
    buffer[size++] = (byte) (v >>> 8);
    buffer[size++] = (byte) v;
  }

  private void putInt(int v) {
    buffer[size++] = (byte) (v >>> 24);
    buffer[size++] = (byte) (v >>> 16);
    buffer[size++] = (byte) (v >>> 8);
    buffer[size++] = (byte) v;
  }

  private void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }
}
