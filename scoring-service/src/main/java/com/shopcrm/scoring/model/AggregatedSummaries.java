package com.shopcrm.scoring.model;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Customer summaries collapsed to distinct (x, t_x, T) rows with a weight (how many customers share
 * the row). The BG/NBD likelihood depends on nothing else, so fitting over the rows gives the same
 * result as over the customers, much faster on real data where many customers share a row (every
 * one-off buyer of the same day has (0, 0, T)).
 */
public final class AggregatedSummaries {

  private final int[] frequency;
  private final double[] recency;
  private final double[] age;
  private final double[] weight;
  private final long customers;
  // Distinct recency and age values and each row's index into them: real data have few (whole
  // days), so the likelihood takes ln(alpha + t) once per distinct value, not once per row.
  private final double[] distinctRecency;
  private final int[] recencyIndex;
  private final double[] distinctAge;
  private final int[] ageIndex;

  private AggregatedSummaries(int[] frequency, double[] recency, double[] age, double[] weight, long customers) {
    this.frequency = frequency;
    this.recency = recency;
    this.age = age;
    this.weight = weight;
    this.customers = customers;
    this.recencyIndex = new int[recency.length];
    this.distinctRecency = distinct(recency, recencyIndex);
    this.ageIndex = new int[age.length];
    this.distinctAge = distinct(age, ageIndex);
  }

  private static double[] distinct(double[] values, int[] indexOut) {
    // sorted, then equal neighbours dropped (Double.compare, as DoubleStream.distinct's equals):
    // no boxing of half a million values
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (n == 0 || Double.compare(sorted[i], sorted[n - 1]) != 0) {
        sorted[n++] = sorted[i];
      }
    }
    sorted = Arrays.copyOf(sorted, n);
    for (int i = 0; i < values.length; i++) {
      indexOut[i] = Arrays.binarySearch(sorted, values[i]);
    }
    return sorted;
  }

  /** Collapses summaries to distinct (x, t_x, T) rows. */
  public static AggregatedSummaries of(Collection<CustomerSummary> summaries) {
    Map<Key, long[]> counts = new HashMap<>(Math.max(16, summaries.size() / 2));
    for (CustomerSummary s : summaries) {
      counts.computeIfAbsent(new Key(s.frequency(), s.recency(), s.age()), k -> new long[1])[0]++;
    }
    int n = counts.size();
    int[] x = new int[n];
    double[] tx = new double[n];
    double[] t = new double[n];
    double[] w = new double[n];
    int i = 0;
    for (Map.Entry<Key, long[]> e : counts.entrySet()) {
      x[i] = e.getKey().frequency();
      tx[i] = e.getKey().recency();
      t[i] = e.getKey().age();
      w[i] = e.getValue()[0];
      i++;
    }
    return new AggregatedSummaries(x, tx, t, w, summaries.size());
  }

  /**
   * Rows given directly, e.g. the {@code donations.csv} shape of (frequency, recency, periods,
   * weights). Rows are not merged.
   */
  public static AggregatedSummaries ofRows(int[] frequency, double[] recency, double[] age, double[] weight) {
    int n = frequency.length;
    if (recency.length != n || age.length != n || weight.length != n) {
      throw new IllegalArgumentException("rows need equal-length columns");
    }
    double total = 0;
    for (int i = 0; i < n; i++) {
      CustomerSummary.of(frequency[i], recency[i], age[i]); // validates
      if (!(weight[i] > 0) || !Double.isFinite(weight[i])) {
        throw new IllegalArgumentException("row weights must be > 0, got " + weight[i]);
      }
      total += weight[i];
    }
    return new AggregatedSummaries(frequency.clone(), recency.clone(), age.clone(), weight.clone(), Math.round(total));
  }

  /**
   * Every {@code step}-th row with its weight multiplied by {@code step}: a deterministic
   * subsample that stands for about as many customers, for a cheap first search on large inputs.
   */
  AggregatedSummaries everyNthRow(int step) {
    int n = (rows() + step - 1) / step;
    int[] x = new int[n];
    double[] tx = new double[n];
    double[] t = new double[n];
    double[] w = new double[n];
    double total = 0;
    for (int i = 0, j = 0; i < rows(); i += step, j++) {
      x[j] = frequency[i];
      tx[j] = recency[i];
      t[j] = age[i];
      w[j] = weight[i] * step;
      total += w[j];
    }
    return new AggregatedSummaries(x, tx, t, w, Math.round(total));
  }

  /** Number of distinct rows. */
  public int rows() {
    return frequency.length;
  }

  /** Number of customers the rows stand for (the sum of the weights). */
  public long customers() {
    return customers;
  }

  /** The largest frequency of any row (0 when empty). */
  public int maxFrequency() {
    return Arrays.stream(frequency).max().orElse(0);
  }

  int frequency(int row) {
    return frequency[row];
  }

  double recency(int row) {
    return recency[row];
  }

  double age(int row) {
    return age[row];
  }

  double weight(int row) {
    return weight[row];
  }

  double[] distinctRecency() {
    return distinctRecency;
  }

  int recencyIndex(int row) {
    return recencyIndex[row];
  }

  double[] distinctAge() {
    return distinctAge;
  }

  int ageIndex(int row) {
    return ageIndex[row];
  }

  private record Key(int frequency, double recency, double age) {
  }
}
