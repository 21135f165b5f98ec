package com.shopcrm.launcher.datagen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShopGeneratorTest {

  private static final LocalDate END = LocalDate.of(2025, 12, 31);

  @Test
  void theSameSeedGivesTheSameFilesAndAnotherSeedOthers(@TempDir Path dir) throws Exception {
    ShopParameters params = ShopParameters.defaults(500, END).withSeed(7);
    ShopFiles.write(params, dir.resolve("a"));
    ShopFiles.write(params, dir.resolve("b"));
    ShopFiles.write(params.withSeed(8), dir.resolve("c"));
    for (String file : List.of("orders.csv", "customers.ndjson", "events.ndjson", "consent.ndjson", "catalogue.csv")) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(file)),
          Files.readAllBytes(dir.resolve("b").resolve(file)), file);
    }
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a/orders.csv")),
        Files.readAllBytes(dir.resolve("c/orders.csv"))));
  }

  @Test
  void meanRepeatPurchasesMatchTheBgNbdExpectation() {
    ShopParameters params = ShopParameters.defaults(20_000, END).withSeed(11);
    List<ShopCustomer> shop = new ShopGenerator(params).all();
    double empirical = shop.stream().mapToInt(ShopCustomer::repeatPurchases).average().orElseThrow();
    // First purchases are uniform over the period, so the expectation is E[X(t)] averaged over t in (0, days).
    double expected = meanOverUniformT(params);
    assertEquals(expected, empirical, 0.06 * expected,
        "mean repeat purchases " + empirical + " vs BG/NBD " + expected);
    // The latent draws themselves: E[λ] = r/α, E[p] = a/(a+b).
    double meanLambda = shop.stream().mapToDouble(ShopCustomer::lambda).average().orElseThrow();
    assertEquals(params.r() / params.alpha(), meanLambda, 0.08 * params.r() / params.alpha());
    double meanDropout = shop.stream().mapToDouble(ShopCustomer::dropout).average().orElseThrow();
    assertEquals(params.a() / (params.a() + params.b()), meanDropout, 0.02);
  }

  @Test
  void meanSpendPerOrderMatchesGammaGamma() {
    ShopParameters params = ShopParameters.defaults(20_000, END).withSeed(12);
    List<ShopCustomer> shop = new ShopGenerator(params).all();
    double mean = shop.stream().flatMap(c -> c.orders().stream()).mapToDouble(o -> o.total().doubleValue())
        .average().orElseThrow();
    assertEquals(params.meanSpend(), mean, 0.06 * params.meanSpend(),
        "mean order value " + mean + " vs p·γ/(q−1) " + params.meanSpend());
  }

  @Test
  void ordersAreConsistentAndInsideThePeriod() {
    ShopParameters params = ShopParameters.defaults(3_000, END).withSeed(3);
    ShopGenerator generator = new ShopGenerator(params);
    Map<String, Integer> sold = new HashMap<>();
    Pattern phone = Pattern.compile("^1[3-9][0-9]{9}$");
    int refunds = 0;
    int cancelled = 0;
    int orders = 0;
    int reviews = 0;
    int abandons = 0;
    int optedOut = 0;
    for (ShopCustomer c : generator.all()) {
      assertTrue(phone.matcher(c.phone()).matches(), c.phone());
      assertFalse(c.orders().isEmpty());
      if (!c.optOuts().isEmpty()) {
        optedOut++;
      }
      for (ShopCustomer.Order o : c.orders()) {
        orders++;
        LocalDate day = o.orderedAt().toLocalDate();
        assertFalse(day.isBefore(params.start()) || day.isAfter(params.end()), o.orderNo() + " on " + day);
        BigDecimal items = o.items().stream().map(i -> i.unitPrice().multiply(BigDecimal.valueOf(i.quantity())))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, items.compareTo(o.total()), o.orderNo() + ": items add up to the total");
        if (o.refund() != null) {
          refunds++;
          assertTrue(o.refund().signum() > 0 && o.refund().compareTo(o.total()) <= 0);
        }
        if (o.status().equals("cancelled")) {
          cancelled++;
        }
        o.items().forEach(i -> sold.merge(i.product().sku(), 1, Integer::sum));
      }
      for (ShopCustomer.Event e : c.events()) {
        assertFalse(e.occurredAt().toLocalDate().isAfter(params.end()));
        if (e.type().equals("review")) {
          reviews++;
        } else {
          assertEquals("cart_abandon", e.type());
          abandons++;
        }
      }
    }
    double refundShare = (double) refunds / orders;
    assertTrue(refundShare > 0.025 && refundShare < 0.055, "refunds " + refundShare);
    assertTrue(cancelled > 0 && reviews > 0 && abandons > 0);
    assertTrue(optedOut > 0.03 * 3_000 && optedOut < 0.09 * 3_000, "opted out " + optedOut);
    // Zipf: the best seller outsells the hundredth product many times over.
    List<Product> catalogue = generator.catalogue();
    int top = sold.getOrDefault(catalogue.get(0).sku(), 0);
    int hundredth = sold.getOrDefault(catalogue.get(99).sku(), 0);
    assertTrue(top > 20 * Math.max(1, hundredth) / 2, "best seller " + top + ", 100th " + hundredth);
  }

  @Test
  void theOrderCsvHasTheFixedGenericColumnsAndOneRowPerItem(@TempDir Path dir) throws Exception {
    ShopFiles.Summary summary = ShopFiles.write(ShopParameters.defaults(200, END), dir);
    List<String> lines = Files.readAllLines(dir.resolve("orders.csv"));
    assertEquals("order_no,customer_external_id,ordered_at,total_amount,status,customer_name,phone,email,province,"
        + "city,sku,product_name,category,quantity,unit_price,coupon_code,channel,refund_amount", lines.get(0));
    assertEquals(summary.orderRows() + 1, lines.size());
    assertEquals(summary.orders(), lines.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).distinct().count());
    assertEquals(200, Files.readAllLines(dir.resolve("customers.ndjson")).size());
    assertNotEquals(0, summary.events());
  }

  /** (1/D) ∫₀ᴰ E[X(t)] dt by Simpson's rule, E[X(t)] the BG/NBD expectation (Fader, Hardie and Lee 2005, eq. 9). */
  static double meanOverUniformT(ShopParameters p) {
    int n = 400;
    double d = p.days();
    double h = d / n;
    double sum = 0;
    for (int i = 0; i <= n; i++) {
      double w = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
      sum += w * expectedRepeats(p, i * h);
    }
    return sum * h / 3 / d;
  }

  static double expectedRepeats(ShopParameters p, double t) {
    if (t == 0) {
      return 0;
    }
    double z = t / (p.alpha() + t);
    double f = hypergeometric2F1(p.r(), p.b(), p.a() + p.b() - 1, z);
    return (p.a() + p.b() - 1) / (p.a() - 1) * (1 - Math.pow(p.alpha() / (p.alpha() + t), p.r()) * f);
  }

  /** Gauss's series; z < 1 here, so it converges (slowly near 1: up to 100,000 terms). */
  static double hypergeometric2F1(double a, double b, double c, double z) {
    double term = 1;
    double sum = 1;
    for (int n = 0; n < 100_000; n++) {
      term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
      sum += term;
      if (Math.abs(term) < 1e-13 * Math.abs(sum)) {
        break;
      }
    }
    return sum;
  }
}
