package com.shopcrm.scoring.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RfmScorerTest {

  @Test
  void distinctValuesFallIntoQuintiles() {
    assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3, 4, 4, 5, 5},
        RfmScorer.quintileScores(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    // with three customers the quintile cuts are at 0, 5/3 and 10/3 below: scores 1, 2, 4
    assertArrayEquals(new int[] {4, 1, 2}, RfmScorer.quintileScores(new double[] {300, 10, 50}));
  }

  @Test
  void tiesShareTheScoreOfTheirLowestRank() {
    // six of ten bought once: all six get 1; the two 2s have six below them: 1 + floor(5*6/10) = 4
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 4, 4, 5, 5},
        RfmScorer.quintileScores(new double[] {1, 1, 1, 1, 1, 1, 2, 2, 3, 7}));
    assertArrayEquals(new int[] {1, 1, 1}, RfmScorer.quintileScores(new double[] {4, 4, 4}));
  }

  @Test
  void recentCustomersGetHighRScores() {
    List<RfmScorer.Score> scores = new RfmScorer().score(List.of(
        new RfmScorer.Customer(1, 3, 1, 10), new RfmScorer.Customer(2, 400, 1, 10),
        new RfmScorer.Customer(3, 30, 1, 10), new RfmScorer.Customer(4, 90, 1, 10),
        new RfmScorer.Customer(5, 200, 1, 10)));
    assertEquals(List.of(5, 1, 4, 3, 2), scores.stream().map(RfmScorer.Score::r).toList());
  }

  @Test
  void scoresDoNotDependOnInputOrder() {
    Random random = new Random(3);
    List<RfmScorer.Customer> customers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      customers.add(new RfmScorer.Customer(i, random.nextInt(30), 1 + random.nextInt(4), 10 * random.nextInt(8)));
    }
    Map<Long, RfmScorer.Score> first = byId(new RfmScorer().score(customers));
    List<RfmScorer.Customer> shuffled = new ArrayList<>(customers);
    Collections.shuffle(shuffled, new Random(9));
    assertEquals(first, byId(new RfmScorer().score(shuffled)));
  }

  /**
   * Hand-made shop of eight customers. Means: recency 100 days, frequency 3, monetary 300.
   */
  @Test
  void assignsEightClassSegmentsAgainstTenantMeans() {
    List<RfmScorer.Customer> shop = List.of(
        new RfmScorer.Customer(1, 10, 6, 600), // recent, frequent, valuable
        new RfmScorer.Customer(2, 20, 1, 500), // recent, rare, valuable
        new RfmScorer.Customer(3, 150, 5, 450), // old, frequent, valuable
        new RfmScorer.Customer(4, 200, 2, 400), // old, rare, valuable
        new RfmScorer.Customer(5, 30, 4, 100), // recent, frequent, cheap
        new RfmScorer.Customer(6, 40, 2, 50), // recent, rare, cheap
        new RfmScorer.Customer(7, 250, 3.5, 200), // old, frequent, cheap
        new RfmScorer.Customer(8, 100, 0.5, 100)); // exactly the mean recency: low (not recent)
    List<RfmScorer.Score> scores = new RfmScorer().score(shop);
    assertEquals(List.of("important_value", "important_development", "important_retention", "important_winback",
            "general_value", "general_development", "general_retention", "general_winback"),
        scores.stream().map(s -> s.segment().id()).toList());
    assertEquals("重要价值客户", scores.get(0).segment().labelZh());
    assertEquals("Important win-back", scores.get(3).segment().label("en"));
    assertEquals("一般挽留客户", scores.get(7).segment().label("zh-CN"));
  }

  @Test
  void fixedThresholdsOverrideTheMean() {
    // "frequent" = at least 2 purchases, whatever the tenant's mean
    RfmScorer scorer = new RfmScorer(new RfmScorer.Thresholds(null, 1.5, 100.0));
    List<RfmScorer.Score> scores = scorer.score(List.of(
        new RfmScorer.Customer(1, 10, 2, 150), new RfmScorer.Customer(2, 20, 10, 5000),
        new RfmScorer.Customer(3, 90, 1, 90)));
    assertEquals(List.of(RfmSegment.IMPORTANT_VALUE, RfmSegment.IMPORTANT_VALUE, RfmSegment.GENERAL_WINBACK),
        scores.stream().map(RfmScorer.Score::segment).toList());
  }

  @Test
  void elevenGroupGridFollowsPublishedMap() {
    assertEquals(RfmGroup.CHAMPIONS, RfmGroup.of(5, 5));
    assertEquals(RfmGroup.CHAMPIONS, RfmGroup.of(5, 4));
    assertEquals(RfmGroup.LOYAL, RfmGroup.of(3, 4));
    assertEquals(RfmGroup.LOYAL, RfmGroup.of(4, 5));
    assertEquals(RfmGroup.POTENTIAL_LOYALIST, RfmGroup.of(5, 2));
    assertEquals(RfmGroup.POTENTIAL_LOYALIST, RfmGroup.of(4, 3));
    assertEquals(RfmGroup.NEW, RfmGroup.of(5, 1));
    assertEquals(RfmGroup.PROMISING, RfmGroup.of(4, 1));
    assertEquals(RfmGroup.NEED_ATTENTION, RfmGroup.of(3, 3));
    assertEquals(RfmGroup.ABOUT_TO_SLEEP, RfmGroup.of(3, 2));
    assertEquals(RfmGroup.AT_RISK, RfmGroup.of(2, 3));
    assertEquals(RfmGroup.AT_RISK, RfmGroup.of(1, 4));
    assertEquals(RfmGroup.CANT_LOSE, RfmGroup.of(1, 5));
    assertEquals(RfmGroup.HIBERNATING, RfmGroup.of(2, 2));
    assertEquals(RfmGroup.LOST, RfmGroup.of(1, 1));
    assertEquals(RfmGroup.LOST, RfmGroup.of(1, 2));
    // all 25 cells map to one of the 11 groups and every group is reachable
    java.util.Set<RfmGroup> seen = java.util.EnumSet.noneOf(RfmGroup.class);
    for (int r = 1; r <= 5; r++) {
      for (int f = 1; f <= 5; f++) {
        seen.add(RfmGroup.of(r, f));
      }
    }
    assertEquals(11, seen.size());
  }

  @Test
  void scoresFeedTheElevenGroups() {
    List<RfmScorer.Customer> shop = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      shop.add(new RfmScorer.Customer(i, 10 * (i + 1), 10 - i, 100)); // most recent also most frequent
    }
    List<RfmScorer.Score> scores = new RfmScorer().score(shop);
    assertEquals(RfmGroup.CHAMPIONS, scores.get(0).group()); // R5 F5
    assertEquals(RfmGroup.NEED_ATTENTION, scores.get(4).group()); // R3 F3
    assertEquals(RfmGroup.LOST, scores.get(9).group()); // R1 F1
    assertEquals(1, scores.get(9).m()); // all equal monetary -> all M = 1
  }

  private static Map<Long, RfmScorer.Score> byId(List<RfmScorer.Score> scores) {
    return scores.stream().collect(Collectors.toMap(RfmScorer.Score::customerId, Function.identity()));
  }
}
