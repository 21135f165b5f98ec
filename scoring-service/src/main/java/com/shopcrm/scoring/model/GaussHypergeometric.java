package com.shopcrm.scoring.model;

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and 0 &le; z &lt; 1, the
 * range the BG/NBD expectations need (z = t / (alpha + T + t)).
 *
 * <p>It sums the defining series {@code sum_n (a)_n (b)_n / ((c)_n n!) z^n} term by term from the
 * ratio of consecutive terms, with two safeguards:
 *
 * <ul>
 *   <li><b>No overflow.</b> The partial sum is kept as {@code scale + log(sum)} and rescaled when it
 *       grows past 1e200, so values such as 2F1(120, 122; 121; 0.8) &asymp; 7.7e84 (a frequent buyer)
 *       or far beyond are returned as logarithms without overflowing.
 *   <li><b>A proven stop.</b> Once n is past every sign change and turning point of the term ratio
 *       (n &gt; 2(|a| + |b| + |c|) + 10) the ratios are monotone with limit z, so the tail after
 *       term n is bounded by {@code |term| rho / (1 - rho)} with {@code rho = max(ratio, z)}; the sum
 *       stops when that bound is below 1e-16 of the sum. It throws rather than return an
 *       unconverged value.
 * </ul>
 *
 * <p>For 0 &le; z &lt; 1 the series always converges, so the usual transformations (z &rarr; 1 -
 * z, Pfaff, Euler) are not needed for correctness; they would only make z close to 1 cheaper. The
 * cost grows like 1/(1 - z): z = 0.995 takes about 8,000 terms (tens of microseconds). In the
 * models z &le; t / (alpha + t), e.g. 0.92 for a 365-day horizon with alpha = 30 days.
 * Euler's form {@code (1 - z)^(c - a - b) 2F1(c - a, c - b; c; z)} is deliberately not used: with
 * the BG/NBD's c - b = a - 1 &lt; 0 it cancels badly for frequent buyers.
 */
public final class GaussHypergeometric {

  private static final long MAX_TERMS = 20_000_000L;
  private static final double RESCALE_ABOVE = 1e200;
  private static final double RELATIVE_TOLERANCE = 1e-16;

  private GaussHypergeometric() {
  }

  /** 2F1(a, b; c; z); may overflow to infinity where {@link #log} would not. */
  public static double value(double a, double b, double c, double z) {
    return Math.exp(log(a, b, c, z));
  }

  /**
   * The natural logarithm of 2F1(a, b; c; z).
   *
   * @throws IllegalArgumentException when z is outside [0, 1), c is zero or a negative integer, or
   *     the value is not positive (its logarithm is undefined)
   * @throws ArithmeticException when the series does not converge within its term budget
   */
  public static double log(double a, double b, double c, double z) {
    if (!(z >= 0.0 && z < 1.0)) {
      throw new IllegalArgumentException("2F1 needs 0 <= z < 1, got z=" + z);
    }
    if (c <= 0 && c == Math.rint(c)) {
      throw new IllegalArgumentException("2F1 is undefined for c=" + c);
    }
    if (Double.isNaN(a) || Double.isNaN(b) || Double.isNaN(c)) {
      throw new IllegalArgumentException("2F1 parameters must be numbers");
    }
    if (z == 0.0) {
      return 0.0;
    }
    double scale = 0.0; // log of the factor that sum and term have been divided by
    double sum = 1.0;
    double term = 1.0;
    long settledAfter = (long) (2 * (Math.abs(a) + Math.abs(b) + Math.abs(c))) + 10;
    for (long n = 0; n < MAX_TERMS; n++) {
      double ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
      term *= ratio;
      if (term == 0.0) {
        return finish(scale, sum, a, b, c, z); // a or b is a non-positive integer: a polynomial
      }
      sum += term;
      if (Math.abs(sum) > RESCALE_ABOVE) {
        sum /= RESCALE_ABOVE;
        term /= RESCALE_ABOVE;
        scale += Math.log(RESCALE_ABOVE);
      }
      if (n > settledAfter) {
        double nextRatio = Math.abs((a + n + 1) * (b + n + 1) / ((c + n + 1) * (n + 2.0)) * z);
        double rho = Math.max(nextRatio, z);
        if (rho < 1.0 && Math.abs(term) * rho / (1.0 - rho) <= RELATIVE_TOLERANCE * Math.abs(sum)) {
          return finish(scale, sum, a, b, c, z);
        }
      }
    }
    throw new ArithmeticException(
        "2F1(" + a + ", " + b + "; " + c + "; " + z + ") did not converge in " + MAX_TERMS + " terms");
  }

  private static double finish(double scale, double sum, double a, double b, double c, double z) {
    if (!(sum > 0.0)) {
      throw new IllegalArgumentException(
          "2F1(" + a + ", " + b + "; " + c + "; " + z + ") = " + sum + " is not positive; no logarithm");
    }
    return scale + Math.log(sum);
  }
}
