package com.shopcrm.scoring.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Reference values: closed forms, and mpmath.hyp2f1 at 30 digits (values copied to 17 digits). */
class GaussHypergeometricTest {

  private static void assertRelative(double expected, double actual, double tolerance) {
    assertEquals(expected, actual, Math.abs(expected) * tolerance, () -> "expected " + expected + " got " + actual);
  }

  @Test
  void matchesLogarithmClosedForm() {
    // 2F1(1, 1; 2; z) = -ln(1 - z) / z
    for (double z : new double[] {1e-6, 0.1, 0.5, 0.9, 0.99, 0.999}) {
      assertRelative(-Math.log1p(-z) / z, GaussHypergeometric.value(1, 1, 2, z), 1e-13);
    }
  }

  @Test
  void matchesBinomialClosedForm() {
    // 2F1(a, b; b; z) = (1 - z)^-a
    assertRelative(Math.pow(0.3, -2.5), GaussHypergeometric.value(2.5, 3.7, 3.7, 0.7), 1e-13);
    assertRelative(-40.0 * Math.log(0.05), GaussHypergeometric.log(40, 1.5, 1.5, 0.95), 1e-13);
  }

  @Test
  void matchesArcsineClosedForm() {
    // 2F1(1/2, 1/2; 3/2; x^2) = arcsin(x) / x
    double x = 0.8;
    assertRelative(Math.asin(x) / x, GaussHypergeometric.value(0.5, 0.5, 1.5, x * x), 1e-13);
  }

  @Test
  void matchesMpmathAtBgNbdArguments() {
    // the CDNOW customer (x=2, T=38.86) 39 weeks ahead: 2F1(r+x, b+x; a+b+x-1; 39/(alpha+T+39))
    assertRelative(4.5743234807916805, GaussHypergeometric.value(2.2426, 4.4259, 4.2188, 39 / (4.4136 + 38.86 + 39)),
        1e-13);
    // new customer, z near 1 (slowly converging, a + b - c = 0.45)
    assertRelative(1.9456628989491883, GaussHypergeometric.value(0.2426, 2.4259, 2.2188, 0.9), 1e-12);
    assertRelative(5.7188163405325205, GaussHypergeometric.value(0.2426, 2.4259, 2.2188, 0.995), 1e-11);
    assertRelative(1.4527676379576941, GaussHypergeometric.value(1.5, 2.5, 3.5, 0.3), 1e-14);
  }

  @Test
  void returnsLogarithmOfValuesBeyondDoubleRange() {
    assertRelative(148.15317397564382, GaussHypergeometric.log(50.24, 52.4, 53.2, 0.95), 1e-13);
    assertRelative(195.45869098773739, GaussHypergeometric.log(120.25, 122.4, 121.2, 0.8), 1e-13);
    // a frequent daily buyer: value far beyond 1e308
    assertRelative(924.25496198399592, GaussHypergeometric.log(400.2, 402.4, 401.2, 0.9), 1e-13);
  }

  @Test
  void handlesNegativeNonIntegerC() {
    assertRelative(0.44819737733657503, GaussHypergeometric.value(0.3, 0.5, -0.2, 0.4), 1e-13);
  }

  @Test
  void terminatesPolynomialCase() {
    // 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z^2/(c(c+1))
    double b = 1.5;
    double c = 2.5;
    double z = 0.6;
    assertRelative(1 - 2 * b * z / c + b * (b + 1) * z * z / (c * (c + 1)), GaussHypergeometric.value(-2, b, c, z), 1e-14);
  }

  @Test
  void isOneAtZero() {
    assertEquals(1.0, GaussHypergeometric.value(3, 4, 5, 0.0));
  }

  @Test
  void rejectsArgumentsOutsideItsDomain() {
    assertThrows(IllegalArgumentException.class, () -> GaussHypergeometric.log(1, 1, 2, 1.0));
    assertThrows(IllegalArgumentException.class, () -> GaussHypergeometric.log(1, 1, 2, -0.1));
    assertThrows(IllegalArgumentException.class, () -> GaussHypergeometric.log(1, 1, -3, 0.5));
    assertThrows(IllegalArgumentException.class, () -> GaussHypergeometric.log(1, 1, 2, Double.NaN));
  }
}
