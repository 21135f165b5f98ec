package com.shopcrm.scoring.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SummaryBuilderTest {

  private static final LocalDate END = LocalDate.of(2024, 3, 31);

  private static Purchase p(String day, double value) {
    return new Purchase(LocalDate.parse(day), value);
  }

  @Test
  void countsDistinctPurchaseDaysAndSumsEachDaysValue() {
    CustomerSummary s = new SummaryBuilder(END, ModelTimeUnit.DAYS).summarize(List.of(
        p("2024-01-01", 100), // first day: not in monetary
        p("2024-01-11", 30), p("2024-01-11", 20), // one purchase day worth 50
        p("2024-03-01", 70))).orElseThrow();
    assertEquals(2, s.frequency());
    assertEquals(60.0, s.recency()); // Jan 1 -> Mar 1 2024 (leap year)
    assertEquals(90.0, s.age()); // Jan 1 -> Mar 31
    assertEquals(60.0, s.monetary()); // (50 + 70) / 2
  }

  @Test
  void ignoresPurchasesAfterCalibrationEndAndInputOrder() {
    CustomerSummary s = new SummaryBuilder(END, ModelTimeUnit.WEEKS).summarize(List.of(
        p("2024-04-01", 999), p("2024-03-31", 10), p("2024-03-17", 5))).orElseThrow();
    assertEquals(1, s.frequency());
    assertEquals(2.0, s.recency(), 1e-12);
    assertEquals(2.0, s.age(), 1e-12);
    assertEquals(10.0, s.monetary());
  }

  @Test
  void oneOffBuyerHasZeroFrequencyRecencyAndMonetary() {
    CustomerSummary s = new SummaryBuilder(END, ModelTimeUnit.DAYS)
        .summarize(List.of(p("2024-03-01", 40), p("2024-03-01", 60))).orElseThrow();
    assertEquals(CustomerSummary.of(0, 0, 30), s);
  }

  @Test
  void customerWhoseFirstPurchaseIsAfterCalibrationEndHasNoSummary() {
    assertEquals(Optional.empty(), new SummaryBuilder(END, ModelTimeUnit.DAYS).summarize(List.of(p("2024-04-02", 1))));
    assertEquals(Optional.empty(), new SummaryBuilder(END, ModelTimeUnit.DAYS).summarize(List.of()));
  }

  /** Built from the raw CDNOW sample, every customer matches the published summary file. */
  @Test
  void reproducesPublishedCdnowSummariesFromTransactions() throws Exception {
    Optional<Path> raw = CdnowData.file("CDNOW_sample.txt");
    Optional<Path> published = CdnowData.file("cdnow_customers_summary_with_transactions.csv");
    assumeTrue(raw.isPresent() && published.isPresent(), "CDNOW data set not available");
    Map<Integer, List<Purchase>> purchases = CdnowData.purchases(raw.get());
    Map<Integer, CustomerSummary> expected = CdnowData.summariesWithValue(published.get());
    SummaryBuilder builder = new SummaryBuilder(LocalDate.of(1997, 9, 30), ModelTimeUnit.WEEKS);
    assertEquals(2357, expected.size());
    assertEquals(expected.keySet(), purchases.keySet());
    int sameDayMerges = 0;
    for (var e : expected.entrySet()) {
      List<Purchase> own = purchases.get(e.getKey());
      CustomerSummary built = builder.summarize(own).orElseThrow();
      CustomerSummary want = e.getValue();
      String who = "customer " + e.getKey();
      assertEquals(want.frequency(), built.frequency(), who);
      assertEquals(want.recency(), built.recency(), 0.005 + 1e-9, who); // published to 2 decimals
      assertEquals(want.age(), built.age(), 0.005 + 1e-9, who);
      assertEquals(want.monetary(), built.monetary(), 0.005 + 1e-9, who);
      if (own.stream().filter(pu -> !pu.day().isAfter(builder.calibrationEnd())).map(Purchase::day).distinct().count()
          < own.stream().filter(pu -> !pu.day().isAfter(builder.calibrationEnd())).count()) {
        sameDayMerges++;
      }
    }
    assertTrue(sameDayMerges > 0, "the sample has same-day purchases, so the merge rule was exercised");
  }
}
