package com.shopcrm.scoring.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.scoring.model.RfmScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RfmCutsTest {

  /** The four cuts per dimension give every customer exactly RfmScorer's scores and segment (ties included). */
  @Test
  void cutsReproduceRfmScorerOnItsPopulation() {
    Random random = new Random(7);
    for (int n : new int[] {1, 2, 3, 4, 5, 7, 10, 11, 97, 1000}) {
      List<RfmScorer.Customer> customers = new ArrayList<>();
      double[] r = new double[n];
      double[] f = new double[n];
      double[] m = new double[n];
      for (int i = 0; i < n; i++) {
        r[i] = random.nextInt(60);
        f[i] = random.nextDouble() < 0.6 ? 0 : random.nextInt(5);
        m[i] = Math.round(random.nextDouble() * 500) / 2.0;
        customers.add(new RfmScorer.Customer(i, r[i], f[i], m[i]));
      }
      RfmCuts cuts = RfmCuts.of(r, f, m, mean(r), mean(f), mean(m));
      List<RfmScorer.Score> expected = new RfmScorer().score(customers);
      for (int i = 0; i < n; i++) {
        RfmScorer.Score s = expected.get(i);
        assertEquals(s.r(), cuts.r(r[i]), "r of " + i + " in " + n);
        assertEquals(s.f(), cuts.f(f[i]), "f of " + i + " in " + n);
        assertEquals(s.m(), cuts.m(m[i]), "m of " + i + " in " + n);
        assertEquals(s.segment(), cuts.segment(r[i], f[i], m[i]));
        assertEquals(s.group(), cuts.group(r[i], f[i]));
      }
    }
  }

  private static double mean(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    return sum / v.length;
  }
}
