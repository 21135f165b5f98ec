package com.shopcrm.scoring.model;

import static java.lang.Math.exp;
import static java.lang.Math.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.commons.math3.special.Gamma;

/**
 * The Gamma-Gamma model of average transaction value (Fader, Hardie &amp; Lee 2005, "RFM and CLV:
 * Using Iso-Value Curves for Customer Base Analysis", JMR 42(4); Fader &amp; Hardie 2013, "The
 * Gamma-Gamma Model of Monetary Value"): a customer's transaction values are Gamma(p, nu), and nu
 * varies across customers as Gamma(q, gamma). It is fitted on repeat buyers (x &ge; 1) and gives
 * each customer's expected average transaction value, shrinking the observed mean towards the
 * population mean the fewer purchases there are.
 *
 * @param p shape of the within-customer value distribution
 * @param q shape of the across-customer distribution of nu
 * @param gamma scale of the across-customer distribution of nu (in money units)
 */
public record GammaGammaModel(double p, double q, double gamma) {

  /** Upper bound of p in the fit: the ridge p &rarr; infinity, gamma &rarr; 0 is cut here. */
  static final double MAX_P = exp(10);

  /** Above this many repeat buyers the starting point is searched on a subsample first. */
  static final int SUBSAMPLE_ABOVE = 50_000;

  public GammaGammaModel {
    for (double v : new double[] {p, q, gamma}) {
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException("Gamma-Gamma parameters must be finite and > 0: " + List.of(p, q, gamma));
      }
    }
  }

  /**
   * Result of a maximum-likelihood fit. {@code onBoundary} means the optimum sits on the box of the
   * search (most often p at its cap: the data hardly vary within customers, so the model is on the
   * degenerate ridge where p &rarr; infinity and gamma &rarr; 0 with p gamma / (q - 1) fixed); the
   * expectations are still usable, the parameters are not interpretable.
   */
  public record Fit(GammaGammaModel model, double logLikelihood, int customers,
      double[] logParameterStandardErrors, int evaluations, boolean onBoundary) {
  }

  /** The population mean transaction value p gamma / (q - 1) (infinite when q &le; 1). */
  public double populationMeanValue() {
    return q > 1 ? p * gamma / (q - 1) : Double.POSITIVE_INFINITY;
  }

  /**
   * E[Z | x, mean value]: the expected average transaction value of a customer with x repeat
   * purchases of mean value m: p (gamma + x m) / (p x + q - 1), a weighted mean of the population
   * mean and m with weight p x / (p x + q - 1) on m. For x = 0 it is the population mean.
   */
  public double expectedAverageValue(int frequency, double monetary) {
    if (frequency < 0 || !(monetary >= 0)) {
      throw new IllegalArgumentException("need frequency >= 0 and monetary >= 0");
    }
    double denominator = p * frequency + q - 1;
    if (!(denominator > 0)) {
      throw new IllegalStateException("expected value undefined: p x + q - 1 = " + denominator);
    }
    return p * (gamma + frequency * monetary) / denominator;
  }

  /** {@link #expectedAverageValue(int, double)} of a summary. */
  public double expectedAverageValue(CustomerSummary s) {
    return expectedAverageValue(s.frequency(), s.frequency() == 0 ? 0.0 : s.monetary());
  }

  /**
   * The log-likelihood of the customers with x &ge; 1 and monetary &gt; 0 (others do not enter):
   * sum of ln Gamma(px+q) - ln Gamma(px) - ln Gamma(q) + q ln gamma + (px-1) ln m + px ln x
   * - (px+q) ln(x m + gamma).
   */
  public double logLikelihood(Collection<CustomerSummary> summaries) {
    Data data = Data.of(summaries, 1.0);
    return logLikelihood(p, q, gamma, data);
  }

  /**
   * Fits (p, q, gamma) by maximum likelihood on the customers with x &ge; 1 and monetary &gt; 0.
   * Values are divided by their mean first (so the search does not depend on the currency; gamma
   * is scaled back), and the search runs over (ln p, ln(q - 1), ln gamma) in a box, so q &gt; 1
   * (a finite population mean, needed by every expectation) and p &le; e^10 (the degenerate ridge is
   * cut off). BOBYQA from five starts spread along the ridge, the best polished (see
   * {@link MultiStartMinimizer}); above 50,000 repeat buyers the starts run on every k-th one first.
   *
   * @throws IllegalArgumentException when fewer than two customers have repeat purchases
   */
  public static Fit fit(Collection<CustomerSummary> summaries) {
    int[] frequency = new int[summaries.size()];
    double[] monetary = new double[summaries.size()];
    int i = 0;
    for (CustomerSummary s : summaries) {
      frequency[i] = s.frequency();
      monetary[i] = s.monetary();
      i++;
    }
    return fit(frequency, monetary);
  }

  /**
   * {@link #fit(Collection)} on the customers' frequency (x) and monetary value columns, in the
   * same order (a scoring run keeps its million customers in columns, not objects).
   */
  public static Fit fit(int[] frequency, double[] monetary) {
    return fit(frequency, monetary, true);
  }

  /**
   * {@link #fit(int[], double[])}, with or without the standard errors of the log-parameters
   * (without: all NaN, 19 likelihood evaluations fewer; a scoring run does not report them).
   */
  public static Fit fit(int[] frequency, double[] monetary, boolean standardErrors) {
    // the mean value of the customers fitted (the same sum, in the same order, as Data.meanValue),
    // without building their Data twice
    int fitted = 0;
    double sum = 0;
    for (int i = 0; i < frequency.length; i++) {
      if (frequency[i] > 0 && monetary[i] > 0) {
        fitted++;
        sum += monetary[i];
      }
    }
    if (fitted < 2) {
      throw new IllegalArgumentException("Gamma-Gamma needs at least two customers with repeat purchases");
    }
    double scale = sum / fitted;
    Data data = Data.of(frequency, monetary, scale);
    double n = data.size();
    List<double[]> starts = new ArrayList<>();
    for (double[] pq : new double[][] {{1, 2}, {5, 4}, {0.5, 1.5}, {20, 10}, {2, 3}}) {
      double g = (pq[1] - 1) / pq[0]; // population mean 1 on the scaled values
      starts.add(new double[] {log(pq[0]), log(pq[1] - 1), log(g)});
    }
    double[] lower = {-10, -10, -20};
    double[] upper = {log(MAX_P), 10, 20};
    MultiStartMinimizer minimizer = new MultiStartMinimizer(lower, upper);
    double radius = 0.5;
    boolean subsampled = false;
    if (data.size() > SUBSAMPLE_ABOVE) {
      // Large input: the multi-start search runs on every k-th customer; its optimum is the single
      // start of the full fit.
      Data sample = data.everyNth((data.size() + SUBSAMPLE_ABOVE - 1) / SUBSAMPLE_ABOVE);
      double m = sample.size();
      starts = List.of(minimizer.minimize(
          t -> -logLikelihood(exp(t[0]), 1 + exp(t[1]), exp(t[2]), sample) / m, m, starts).point());
      radius = 0.05;
      subsampled = true; // the full fit starts at the subsample's polished optimum: no second polish
    }
    MultiStartMinimizer.Result best = minimizer.minimize(
        t -> -logLikelihood(exp(t[0]), 1 + exp(t[1]), exp(t[2]), data) / n, n, starts, radius, standardErrors,
        !subsampled);
    double[] t = best.point();
    GammaGammaModel model = new GammaGammaModel(exp(t[0]), 1 + exp(t[1]), exp(t[2]) * scale);
    return new Fit(model, logLikelihood(model.p(), model.q(), model.gamma(), Data.of(frequency, monetary, 1.0)),
        data.size(), best.standardErrors(), best.evaluations(),
        best.onBoundary());
  }

  private static double logLikelihood(double p, double q, double gamma, Data data) {
    int distinct = data.distinctX.length;
    double[] lead = new double[distinct];
    for (int k = 0; k < distinct; k++) {
      double px = p * data.distinctX[k];
      lead[k] = Gamma.logGamma(px + q) - Gamma.logGamma(px) - Gamma.logGamma(q) + q * log(gamma);
    }
    int size = data.size();
    if (size < PARALLEL_ROWS) {
      return rowsLogLikelihood(p, q, gamma, lead, data, 0, size);
    }
    // Large inputs: fixed chunks summed in parallel, then added in chunk order, so the result does
    // not depend on the number of threads (as BgNbdModel's likelihood).
    int chunks = (size + PARALLEL_ROWS - 1) / PARALLEL_ROWS;
    double[] partial = new double[chunks];
    IntStream.range(0, chunks).parallel().forEach(c -> partial[c] = rowsLogLikelihood(p, q, gamma, lead, data,
        c * PARALLEL_ROWS, Math.min(size, (c + 1) * PARALLEL_ROWS)));
    double total = 0;
    for (double v : partial) {
      total += v;
    }
    return total;
  }

  private static final int PARALLEL_ROWS = 32_768;

  private static double rowsLogLikelihood(double p, double q, double gamma, double[] lead, Data data, int from,
      int to) {
    double total = 0;
    for (int i = from; i < to; i++) {
      double px = p * data.x[i];
      total += lead[data.xIndex[i]] + (px - 1) * data.logM[i] + px * data.logX[i]
          - (px + q) * log(data.x[i] * data.m[i] + gamma);
    }
    return total;
  }

  /** Repeat buyers' (x, m) with constant logs precomputed; m divided by {@code scale}. */
  private static final class Data {
    final int[] x;
    final double[] m;
    final double[] logM;
    final double[] logX;
    final int[] xIndex;
    final int[] distinctX;

    private Data(int[] x, double[] m) {
      this.x = x;
      this.m = m;
      this.logM = new double[x.length];
      this.logX = new double[x.length];
      this.xIndex = new int[x.length];
      Map<Integer, Integer> index = new HashMap<>();
      for (int i = 0; i < x.length; i++) {
        logM[i] = log(m[i]);
        logX[i] = log(x[i]);
        xIndex[i] = index.computeIfAbsent(x[i], k -> index.size());
      }
      distinctX = new int[index.size()];
      index.forEach((value, k) -> distinctX[k] = value);
    }

    static Data of(Collection<CustomerSummary> summaries, double scale) {
      int[] frequency = new int[summaries.size()];
      double[] monetary = new double[summaries.size()];
      int i = 0;
      for (CustomerSummary s : summaries) {
        frequency[i] = s.frequency();
        monetary[i] = s.monetary();
        i++;
      }
      return of(frequency, monetary, scale);
    }

    static Data of(int[] frequency, double[] monetary, double scale) {
      int count = 0;
      for (int i = 0; i < frequency.length; i++) {
        if (frequency[i] > 0 && monetary[i] > 0) {
          count++;
        }
      }
      int[] x = new int[count];
      double[] m = new double[count];
      int j = 0;
      for (int i = 0; i < frequency.length; i++) {
        if (frequency[i] > 0 && monetary[i] > 0) {
          x[j] = frequency[i];
          m[j] = monetary[i] / scale;
          j++;
        }
      }
      return new Data(x, m);
    }

    int size() {
      return x.length;
    }

    Data everyNth(int step) {
      int n = (x.length + step - 1) / step;
      int[] xs = new int[n];
      double[] ms = new double[n];
      for (int i = 0, j = 0; i < x.length; i += step, j++) {
        xs[j] = x[i];
        ms[j] = m[i];
      }
      return new Data(xs, ms);
    }

    double meanValue() {
      double sum = 0;
      for (double v : m) {
        sum += v;
      }
      return sum / m.length;
    }
  }
}
