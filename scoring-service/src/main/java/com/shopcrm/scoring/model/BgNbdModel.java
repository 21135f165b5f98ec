package com.shopcrm.scoring.model;

import static java.lang.Math.exp;
import static java.lang.Math.log;
import static java.lang.Math.log1p;

import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;

/**
 * The BG/NBD ("beta-geometric / negative binomial distribution") model of Fader, Hardie &amp; Lee
 * (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2): while alive, a customer
 * buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after each repeat purchase the
 * customer drops out with probability p ~ Beta(a, b).
 *
 * <p>Time is in the unit of the summaries the model was fitted on (see {@link ModelTimeUnit}); every
 * {@code t} below is in that unit. Formulas, with references, are in {@code docs/MODELS.md}.
 *
 * @param r shape of the purchase-rate distribution
 * @param alpha scale (in time units) of the purchase-rate distribution
 * @param a first shape of the dropout-probability distribution
 * @param b second shape of the dropout-probability distribution
 */
public record BgNbdModel(double r, double alpha, double a, double b) {

  /** Log-parameter box of the fit: every parameter in [e^-15, e^15] = [3e-7, 3.3e6]. */
  static final double LOG_BOUND = 15.0;

  /** Above this many distinct rows the starting point is searched on a subsample first. */
  static final int SUBSAMPLE_ABOVE_ROWS = 50_000;

  /** Distance from a = 1 inside which the removable singularity of the expectations is bridged. */
  private static final double A_NEAR_ONE = 1e-6;

  public BgNbdModel {
    for (double v : new double[] {r, alpha, a, b}) {
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException("BG/NBD parameters must be finite and > 0: " + List.of(r, alpha, a, b));
      }
    }
  }

  /** Result of a maximum-likelihood fit. */
  public record Fit(BgNbdModel model, double logLikelihood, long customers, int distinctRows,
      double[] logParameterStandardErrors, int evaluations, boolean onBoundary) {
  }

  // ------------------------------------------------------------------ fitting

  /** Fits by maximum likelihood over the customers (collapsed to distinct rows first). */
  public static Fit fit(Collection<CustomerSummary> summaries) {
    return fit(AggregatedSummaries.of(summaries));
  }

  /**
   * Fits (r, alpha, a, b) by maximum likelihood. The search runs over the logarithms of the
   * parameters (so they stay positive) inside [-15, 15]: BOBYQA from four starts, the best one
   * polished by a BOBYQA restart (see {@link MultiStartMinimizer}). Above 50,000 distinct rows the
   * four starts run on a subsample of every k-th row (weights times k) and the full data are
   * fitted once from the subsample's optimum.
   *
   * @throws IllegalArgumentException with no customers, or when nobody bought twice (the dropout
   *     process is then not identified)
   */
  public static Fit fit(AggregatedSummaries data) {
    return fit(data, true);
  }

  /**
   * {@link #fit(AggregatedSummaries)}, with or without the standard errors of the log-parameters
   * (without: {@link Fit#logParameterStandardErrors()} is all NaN, 33 likelihood evaluations fewer;
   * a scoring run does not report them).
   */
  public static Fit fit(AggregatedSummaries data, boolean standardErrors) {
    if (data.rows() == 0) {
      throw new IllegalArgumentException("BG/NBD needs at least one customer");
    }
    double sumX = 0;
    double sumT = 0;
    double repeaters = 0;
    for (int i = 0; i < data.rows(); i++) {
      sumX += data.weight(i) * data.frequency(i);
      sumT += data.weight(i) * data.age(i);
      repeaters += data.frequency(i) > 0 ? data.weight(i) : 0;
    }
    if (repeaters == 0) {
      throw new IllegalArgumentException("BG/NBD needs at least one customer with a repeat purchase");
    }
    double n = data.customers();
    // Starts: moment-style guesses around the mean purchase rate, plus generic ones.
    double rate = Math.max(sumX / Math.max(sumT, 1e-9), 1e-6);
    List<double[]> starts = List.of(
        new double[] {log(1.0), log(1.0 / rate), log(1.0), log(1.0)},
        new double[] {log(0.25), log(0.25 / rate), log(0.8), log(2.5)},
        new double[] {log(2.0), log(2.0 / rate), log(0.5), log(5.0)},
        new double[] {0.0, 0.0, 0.0, 0.0});
    double[] lower = {-LOG_BOUND, -LOG_BOUND, -LOG_BOUND, -LOG_BOUND};
    double[] upper = {LOG_BOUND, LOG_BOUND, LOG_BOUND, LOG_BOUND};
    MultiStartMinimizer minimizer = new MultiStartMinimizer(lower, upper);
    double radius = 0.5;
    boolean subsampled = false;
    if (data.rows() > SUBSAMPLE_ABOVE_ROWS) {
      // Large input: the multi-start search runs on a deterministic subsample of about
      // SUBSAMPLE_ABOVE_ROWS rows; its optimum is the single start of the full fit.
      AggregatedSummaries sample = data.everyNthRow((data.rows() + SUBSAMPLE_ABOVE_ROWS - 1) / SUBSAMPLE_ABOVE_ROWS);
      double m = sample.customers();
      MultiStartMinimizer.Result rough = minimizer.minimize(
          p -> -logLikelihood(exp(p[0]), exp(p[1]), exp(p[2]), exp(p[3]), sample) / m, m, starts);
      starts = List.of(rough.point());
      radius = 0.05;
      subsampled = true; // the full fit starts at the subsample's polished optimum: no second polish
    }
    MultiStartMinimizer.Result best = minimizer.minimize(
        p -> -logLikelihood(exp(p[0]), exp(p[1]), exp(p[2]), exp(p[3]), data) / n, n, starts, radius,
        standardErrors, !subsampled);
    double[] p = best.point();
    BgNbdModel model = new BgNbdModel(exp(p[0]), exp(p[1]), exp(p[2]), exp(p[3]));
    return new Fit(model, model.logLikelihood(data), data.customers(), data.rows(), best.standardErrors(),
        best.evaluations(), best.onBoundary());
  }

  // ------------------------------------------------------------------ likelihood

  /** The log-likelihood of the data under this model (sum over customers). */
  public double logLikelihood(AggregatedSummaries data) {
    return logLikelihood(r, alpha, a, b, data);
  }

  /** The log-likelihood of one customer. */
  public double logLikelihood(CustomerSummary s) {
    return logLikelihood(AggregatedSummaries.of(List.of(s)));
  }

  /**
   * Sum over rows of weight * log L(r, alpha, a, b | x, t_x, T), in the numerically stable form of
   * the lifetimes package: with
   * A1 = ln Gamma(r+x) - ln Gamma(r) + r ln alpha,
   * A2 = ln Gamma(a+b) + ln Gamma(b+x) - ln Gamma(b) - ln Gamma(a+b+x),
   * A3 = -(r+x) ln(alpha+T),
   * A4 = ln a - ln(b+x-1) - (r+x) ln(alpha+t_x) (only when x &gt; 0),
   * ln L = A1 + A2 + ln(e^A3 + [x&gt;0] e^A4), evaluated as max + ln(1 + exp(min - max)).
   * The Gamma-function differences are accumulated per distinct x as sums of logs
   * (ln Gamma(r+x) - ln Gamma(r) = sum_{k&lt;x} ln(r+k)), so a row costs three logarithms.
   */
  static double logLikelihood(double r, double alpha, double a, double b, AggregatedSummaries data) {
    int maxX = data.maxFrequency();
    double[] lead = new double[maxX + 1]; // A1 + A2 by x
    double[] logDrop = new double[maxX + 1]; // ln a - ln(b + x - 1) by x
    double gammaR = 0;
    double gammaB = 0;
    double logAlpha = log(alpha);
    for (int x = 0; x <= maxX; x++) {
      if (x > 0) {
        gammaR += log(r + x - 1);
        gammaB += log(b + x - 1) - log(a + b + x - 1);
        logDrop[x] = log(a) - log(b + x - 1);
      }
      lead[x] = gammaR + r * logAlpha + gammaB;
    }
    double[] logAlphaRecency = logShifted(alpha, data.distinctRecency());
    double[] logAlphaAge = logShifted(alpha, data.distinctAge());
    int rows = data.rows();
    if (rows < PARALLEL_ROWS) {
      return rowsLogLikelihood(r, lead, logDrop, logAlphaRecency, logAlphaAge, data, 0, rows);
    }
    // Large inputs: fixed chunks summed in parallel, then added in chunk order, so the result does
    // not depend on the number of threads.
    int chunks = (rows + PARALLEL_ROWS - 1) / PARALLEL_ROWS;
    double[] partial = new double[chunks];
    IntStream.range(0, chunks).parallel().forEach(c -> partial[c] = rowsLogLikelihood(
        r, lead, logDrop, logAlphaRecency, logAlphaAge, data, c * PARALLEL_ROWS, Math.min(rows, (c + 1) * PARALLEL_ROWS)));
    double total = 0;
    for (double v : partial) {
      total += v;
    }
    return total;
  }

  private static final int PARALLEL_ROWS = 32_768;

  private static double rowsLogLikelihood(double r, double[] lead, double[] logDrop, double[] logAlphaRecency,
      double[] logAlphaAge, AggregatedSummaries data, int from, int to) {
    double total = 0;
    for (int i = from; i < to; i++) {
      int x = data.frequency(i);
      double a3 = -(r + x) * logAlphaAge[data.ageIndex(i)];
      double ll;
      if (x == 0) {
        ll = lead[0] + a3;
      } else {
        double a4 = logDrop[x] - (r + x) * logAlphaRecency[data.recencyIndex(i)];
        double max = Math.max(a3, a4);
        ll = lead[x] + max + log(1.0 + exp(Math.min(a3, a4) - max)); // argument in (1, 2]: log1p not needed
      }
      total += data.weight(i) * ll;
    }
    return total;
  }

  private static double[] logShifted(double alpha, double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = log(alpha + values[i]);
    }
    return out;
  }

  // ------------------------------------------------------------------ per-customer predictions

  /**
   * P(alive | x, t_x, T) = 1 / (1 + [x &gt; 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))
   * (Fader, Hardie &amp; Lee 2005, eq. 13). A customer without repeat purchases is alive for sure
   * under the model (dropout happens only right after a repeat purchase).
   */
  public double probabilityAlive(CustomerSummary s) {
    if (s.frequency() == 0) {
      return 1.0;
    }
    int x = s.frequency();
    double logOdds = log(a) - log(b + x - 1) + (r + x) * log((alpha + s.age()) / (alpha + s.recency()));
    return 1.0 / (1.0 + exp(logOdds));
  }

  /**
   * E[Y(t) | x, t_x, T]: expected purchases in the next t periods (eq. 10):
   * (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
   * &times; P(alive).
   */
  public double expectedPurchases(double t, CustomerSummary s) {
    requireHorizon(t);
    if (t == 0) {
      return 0.0;
    }
    return probabilityAlive(s) * expectedPurchasesIfAlive(t, s.frequency(), s.age());
  }

  /**
   * E[Y(t) | alive at T, x, T]: the factor of {@link #expectedPurchases} besides P(alive). It
   * depends on x and T only (not on t_x), so a run over a million customers computes it once per
   * distinct (x, T) and multiplies by each customer's P(alive), with the same result bit for bit.
   */
  public double expectedPurchasesIfAlive(double t, int x, double age) {
    requireHorizon(t);
    if (t == 0) {
      return 0.0;
    }
    return bridgeAEqualsOne(aa -> conditionalBracket(aa, t, x, age));
  }

  /**
   * E[X(t)]: expected repeat purchases of a customer in the first t periods after the first
   * purchase (eq. 7): (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))].
   */
  public double expectedPurchasesOfNewCustomer(double t) {
    requireHorizon(t);
    if (t == 0) {
      return 0.0;
    }
    return bridgeAEqualsOne(aa -> conditionalBracket(aa, t, 0, 0.0));
  }

  /**
   * The probability that the customer's next purchase happens within the next t periods:
   * P(alive) (1 - ((alpha+T)/(alpha+T+t))^(r+x)). Exact under the model: given alive at T the rate
   * is Gamma(r+x, alpha+T) and dropout can only follow a purchase.
   */
  public double probabilityOfPurchaseWithin(double t, CustomerSummary s) {
    requireHorizon(t);
    double rx = r + s.frequency();
    return probabilityAlive(s) * -Math.expm1(rx * log((alpha + s.age()) / (alpha + s.age() + t)));
  }

  /**
   * The median waiting time from T to the next purchase of a customer who is still alive:
   * (alpha+T)(2^(1/(r+x)) - 1). This is the "expected next purchase date" offset the service
   * reports (as of the calibration end), always next to P(alive), which says how much to trust it.
   */
  public double medianTimeToNextPurchaseIfAlive(CustomerSummary s) {
    return (alpha + s.age()) * Math.expm1(log(2.0) / (r + s.frequency()));
  }

  /**
   * The time t at which the probability of a next purchase reaches {@code probability}, i.e. the
   * solution of P(alive)(1 - ((alpha+T)/(alpha+T+t))^(r+x)) = probability; empty when P(alive) is
   * not above it (the customer may never buy again with that probability).
   */
  public OptionalDouble timeUntilPurchaseProbability(double probability, CustomerSummary s) {
    if (!(probability > 0 && probability < 1)) {
      throw new IllegalArgumentException("probability must be in (0, 1), got " + probability);
    }
    double alive = probabilityAlive(s);
    if (alive <= probability) {
      return OptionalDouble.empty();
    }
    double rx = r + s.frequency();
    return OptionalDouble.of((alpha + s.age()) * Math.expm1(-log1p(-probability / alive) / rx));
  }

  /**
   * The unconditional cumulative repeat-purchase curve of a cohort, for comparison with actual
   * (holdout) sales as in Fader, Hardie &amp; Lee 2005, Figure 2: at each time point u (on the same
   * clock as the first purchase times), sum over customers of E[X(max(0, u - first purchase time))].
   */
  public double[] expectedCumulativeRepeatPurchases(double[] firstPurchaseTimes, double[] timePoints) {
    TreeMap<Double, Integer> cohort = new TreeMap<>();
    for (double s : firstPurchaseTimes) {
      cohort.merge(s, 1, Integer::sum);
    }
    double[] curve = new double[timePoints.length];
    for (int j = 0; j < timePoints.length; j++) {
      double sum = 0;
      for (var e : cohort.headMap(timePoints[j], false).entrySet()) {
        sum += e.getValue() * expectedPurchasesOfNewCustomer(timePoints[j] - e.getKey());
      }
      curve[j] = sum;
    }
    return curve;
  }

  // ------------------------------------------------------------------ helpers

  /**
   * (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)], z = t/(alpha+T+t),
   * for a given value of a.
   */
  private double conditionalBracket(double aa, double t, int x, double age) {
    double z = t / (alpha + age + t);
    double logHyp = GaussHypergeometric.log(r + x, b + x, aa + b + x - 1, z);
    double second = -Math.expm1(logHyp + (r + x) * log1p(-z));
    return (aa + b + x - 1) / (aa - 1) * second;
  }

  /**
   * The expectations have a removable singularity at a = 1 ((a-1) cancels); near it, average the
   * values at 1 +- 1e-4, whose error is O(1e-8) relative.
   */
  private double bridgeAEqualsOne(DoubleUnaryOperator bracketAtA) {
    if (Math.abs(a - 1.0) >= A_NEAR_ONE) {
      return bracketAtA.applyAsDouble(a);
    }
    return 0.5 * (bracketAtA.applyAsDouble(1.0 - 1e-4) + bracketAtA.applyAsDouble(1.0 + 1e-4));
  }

  private static void requireHorizon(double t) {
    if (!(t >= 0) || !Double.isFinite(t)) {
      throw new IllegalArgumentException("horizon t must be finite and >= 0, got " + t);
    }
  }
}
