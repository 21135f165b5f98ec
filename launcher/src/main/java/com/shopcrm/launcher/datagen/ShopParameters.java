package com.shopcrm.launcher.datagen;

import java.time.LocalDate;

/**
 * What {@link ShopGenerator} draws a shop from. Time is in days. The defaults are the BG/NBD and Gamma-Gamma estimates
 * published for the CDNOW sample (Fader, Hardie and Lee 2005: r = 0.243, α = 4.414 weeks, a = 0.793, b = 2.426;
 * Gamma-Gamma p = 6.25, q = 3.74, γ = 15.44 USD) with α in days (× 7) and γ in CNY (× 7), so a mean spend per order
 * of p·γ/(q − 1) ≈ 246 CNY; customers' first purchases spread uniformly over three years.
 *
 * @param customers    number of customers, each with at least one order
 * @param seed         the same seed and parameters give the same shop, byte for byte
 * @param start        first day of the period (shop time, Asia/Shanghai)
 * @param end          last day of the period: no order, refund or event after it
 * @param r            BG/NBD: shape of the purchase-rate Gamma
 * @param alpha        BG/NBD: rate of the purchase-rate Gamma, in days
 * @param a            BG/NBD: dropout Beta a
 * @param b            BG/NBD: dropout Beta b
 * @param p            Gamma-Gamma: shape of one order's spend
 * @param q            Gamma-Gamma: shape of the customers' spend-scale Gamma
 * @param gamma        Gamma-Gamma: rate of that Gamma, in CNY
 * @param products     catalogue size
 * @param zipfExponent popularity skew of the catalogue (1 = classic Zipf)
 * @param refundRate   share of orders with a refund (half of them full)
 * @param cancelRate   share of orders cancelled
 * @param reviewRate   share of completed orders the buyer reviews
 * @param emailShare   share of customers with an e-mail address
 * @param optOutRate   share of customers opting out of one channel (and a fifth of that of all channels)
 * @param idPrefix     prefix of external ids and order numbers, so two shops can share a database
 */
public record ShopParameters(int customers, long seed, LocalDate start, LocalDate end, double r, double alpha,
    double a, double b, double p, double q, double gamma, int products, double zipfExponent, double refundRate,
    double cancelRate, double reviewRate, double emailShare, double optOutRate, String idPrefix) {

  public static final double CDNOW_R = 0.243;
  public static final double CDNOW_ALPHA_DAYS = 4.414 * 7;
  public static final double CDNOW_A = 0.793;
  public static final double CDNOW_B = 2.426;
  public static final double CDNOW_P = 6.25;
  public static final double CDNOW_Q = 3.74;
  public static final double CDNOW_GAMMA_CNY = 15.44 * 7;

  public ShopParameters {
    if (customers < 0 || !start.isBefore(end) || r <= 0 || alpha <= 0 || a <= 0 || b <= 0 || p <= 0 || q <= 1
        || gamma <= 0 || products < 1 || zipfExponent <= 0) {
      throw new IllegalArgumentException("shop parameters out of range: " + this);
    }
  }

  /** {@code customers} customers over the three years up to {@code end}, CDNOW parameters, seed 42. */
  public static ShopParameters defaults(int customers, LocalDate end) {
    return new ShopParameters(customers, 42, end.minusYears(3).plusDays(1), end, CDNOW_R, CDNOW_ALPHA_DAYS, CDNOW_A,
        CDNOW_B, CDNOW_P, CDNOW_Q, CDNOW_GAMMA_CNY, 300, 1.1, 0.04, 0.02, 0.25, 0.35, 0.05, "c");
  }

  public ShopParameters withSeed(long newSeed) {
    return new ShopParameters(customers, newSeed, start, end, r, alpha, a, b, p, q, gamma, products, zipfExponent,
        refundRate, cancelRate, reviewRate, emailShare, optOutRate, idPrefix);
  }

  public ShopParameters withCustomers(int n) {
    return new ShopParameters(n, seed, start, end, r, alpha, a, b, p, q, gamma, products, zipfExponent, refundRate,
        cancelRate, reviewRate, emailShare, optOutRate, idPrefix);
  }

  public ShopParameters withIdPrefix(String prefix) {
    return new ShopParameters(customers, seed, start, end, r, alpha, a, b, p, q, gamma, products, zipfExponent,
        refundRate, cancelRate, reviewRate, emailShare, optOutRate, prefix);
  }

  /** Length of the period in days. */
  public int days() {
    return (int) (end.toEpochDay() - start.toEpochDay()) + 1;
  }

  /** Gamma-Gamma mean spend per order, p·γ/(q − 1). */
  public double meanSpend() {
    return p * gamma / (q - 1);
  }
}
