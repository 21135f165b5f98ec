package com.shopcrm.scoring.model;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/** Draws customers from the BG/NBD and Gamma-Gamma generative stories, reproducibly by seed. */
final class BtydSimulator {

  private final RandomGenerator random;

  BtydSimulator(long seed) {
    this.random = new Well19937c(seed);
  }

  /**
   * One customer per age, in continuous time: lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b);
   * purchase gaps Exp(lambda); after each repeat purchase the customer drops out with probability
   * p. Monetary: each repeat purchase Gamma(pp, rate nu), nu ~ Gamma(q, rate gamma) per customer
   * (null {@code value} gives monetary 0).
   */
  List<CustomerSummary> customers(BgNbdModel model, GammaGammaModel value, double[] ages) {
    GammaDistribution rates = new GammaDistribution(random, model.r(), 1.0 / model.alpha());
    BetaDistribution dropouts = new BetaDistribution(random, model.a(), model.b());
    GammaDistribution nus = value == null ? null : new GammaDistribution(random, value.q(), 1.0 / value.gamma());
    List<CustomerSummary> out = new ArrayList<>(ages.length);
    for (double age : ages) {
      double lambda = rates.sample();
      double p = dropouts.sample();
      int x = 0;
      double last = 0;
      double t = 0;
      while (true) {
        t += -Math.log(1.0 - random.nextDouble()) / lambda;
        if (t > age) {
          break;
        }
        x++;
        last = t;
        if (random.nextDouble() < p) {
          break;
        }
      }
      double monetary = 0;
      if (x > 0 && nus != null) {
        double nu = nus.sample();
        // the mean of x Gamma(p, nu) values is Gamma(p x, rate nu x)
        monetary = new GammaDistribution(random, value.p() * x, 1.0 / (nu * x)).sample();
      }
      out.add(new CustomerSummary(x, last, age, monetary));
    }
    return out;
  }

  /**
   * Like {@link #customers} but on a calendar of whole days, as real order data arrive: a purchase
   * at continuous time t falls on day ceil(t) after the first purchase day, purchases on the same
   * day merge (distinct purchase days), ages are whole days. Each repeat purchase day is worth
   * Gamma(pp, rate nu) as in {@link #customers} (null {@code value}: monetary 0).
   */
  List<CustomerSummary> customersOnDays(BgNbdModel model, GammaGammaModel value, int[] ageDays) {
    GammaDistribution rates = new GammaDistribution(random, model.r(), 1.0 / model.alpha());
    BetaDistribution dropouts = new BetaDistribution(random, model.a(), model.b());
    GammaDistribution nus = value == null ? null : new GammaDistribution(random, value.q(), 1.0 / value.gamma());
    List<CustomerSummary> out = new ArrayList<>(ageDays.length);
    for (int age : ageDays) {
      double lambda = rates.sample();
      double p = dropouts.sample();
      int x = 0;
      long lastDay = 0;
      double t = 0;
      while (true) {
        t += -Math.log(1.0 - random.nextDouble()) / lambda;
        long day = (long) Math.ceil(t);
        if (day > age) {
          break;
        }
        if (day != lastDay) {
          x++;
          lastDay = day;
        }
        if (random.nextDouble() < p) {
          break;
        }
      }
      double monetary = 0;
      if (x > 0 && nus != null) {
        double nu = nus.sample();
        monetary = new GammaDistribution(random, value.p() * x, 1.0 / (nu * x)).sample();
      }
      out.add(new CustomerSummary(x, lastDay, age, monetary));
    }
    return out;
  }

  double uniform(double lo, double hi) {
    return lo + (hi - lo) * random.nextDouble();
  }

  int uniformInt(int lo, int hiInclusive) {
    return lo + random.nextInt(hiInclusive - lo + 1);
  }
}
