package com.shopcrm.launcher.importer;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line text progress bar: {@code Uploading [=========>          ]  45%  12.0 / 26.7 MB  0:03}.
 * Hand-rolled rather than a library (me.tongfei:progressbar brings JLine and its native terminal providers into
 * the launcher's shaded jar) because all it needs is a redraw with {@code \r} on a terminal, a single final line
 * when the output is a file or pipe, and an output the tests can capture.
 */
public final class ProgressBar {

  /** How the bar shows. */
  public enum Display {
    /** Redrawn in place on a terminal, then left as the final line. */
    LIVE,
    /** Only the final line (output to a file or pipe). */
    FINAL_ONLY,
    /** Nothing. */
    NONE
  }

  private static final int WIDTH = 25;
  private static final int LINE_LIMIT = 79;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter out;
  private final String label;
  private final Display display;
  private final long startedNanos = System.nanoTime();
  private long drawnNanos;
  private int drawnLength = -1;

  ProgressBar(PrintWriter out, String label, Display display) {
    this.out = out;
    this.label = label;
    this.display = display;
  }

  /** Shows {@code done} of {@code total} ({@code total <= 0}: not known yet), at most ten times a second. */
  synchronized void update(long done, long total, String detail) {
    if (display != Display.LIVE) {
      return;
    }
    long now = System.nanoTime();
    if (drawnLength >= 0 && now - drawnNanos < REDRAW_NANOS) {
      return;
    }
    drawnNanos = now;
    draw(line(done, total, detail));
  }

  /** The final state, on its own line. */
  synchronized void finish(long done, long total, String detail) {
    String line = line(done, total, detail);
    if (display == Display.LIVE) {
      draw(line);
      out.println();
    } else if (display == Display.FINAL_ONLY) {
      out.println(line);
    }
    drawnLength = -1;
    out.flush();
  }

  /** Ends a live bar's line where it stands (before an error message), without a final state. */
  synchronized void abandon() {
    if (display == Display.LIVE && drawnLength >= 0) {
      out.println();
      out.flush();
    }
    drawnLength = -1;
  }

  /** Seconds since the bar was made. */
  double elapsedSeconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  String line(long done, long total, String detail) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s[", label));
    long seconds = (long) elapsedSeconds();
    String time = String.format(Locale.ROOT, "  %d:%02d", seconds / 60, seconds % 60);
    if (total > 0) {
      double fraction = Math.min(1.0, Math.max(0.0, (double) done / total));
      int filled = (int) Math.floor(fraction * WIDTH);
      line.append("=".repeat(filled));
      if (filled < WIDTH) {
        line.append('>').append(" ".repeat(WIDTH - filled - 1));
      }
      line.append(String.format(Locale.ROOT, "] %3d%%", (int) Math.floor(fraction * 100)));
    } else {
      line.append(" ".repeat(WIDTH)).append("]    ?");
    }
    if (detail != null && !detail.isEmpty()) {
      // the detail gives way when the line would be wider than a terminal (a wrapped line breaks the redraw)
      int room = LINE_LIMIT - line.length() - time.length() - 2;
      line.append("  ").append(detail.length() <= room ? detail : detail.substring(0, Math.max(0, room)));
    }
    return line.append(time).toString();
  }

  private void draw(String line) {
    // \r back to the start; blanks over what a longer previous line left.
    out.print('\r');
    out.print(line);
    if (drawnLength > line.length()) {
      out.print(" ".repeat(drawnLength - line.length()));
    }
    out.flush();
    drawnLength = line.length();
  }

  /** {@code 1536} → {@code 1.5 KB}. */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
