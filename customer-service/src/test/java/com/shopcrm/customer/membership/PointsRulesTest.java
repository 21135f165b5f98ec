package com.shopcrm.customer.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class PointsRulesTest {

  @Test
  void earnsFloorOfAmountTimesMultiplierWithBirthdayAndFirstOrderBonus() {
    assertEquals(299, PointsRules.earned(new BigDecimal("299.99"), BigDecimal.ONE, false, new BigDecimal("2"), false, 100));
    assertEquals(359, PointsRules.earned(new BigDecimal("299.99"), new BigDecimal("1.2"), false, BigDecimal.TEN, false, 0));
    assertEquals(719 + 100, PointsRules.earned(new BigDecimal("299.99"), new BigDecimal("1.2"), true, new BigDecimal("2"), true, 100));
  }

  @Test
  void reversesProportionallyRoundingDown() {
    assertEquals(33, PointsRules.reversedTotal(100, new BigDecimal("300"), new BigDecimal("100")));
    assertEquals(100, PointsRules.reversedTotal(100, new BigDecimal("300"), new BigDecimal("300")));
    assertEquals(100, PointsRules.reversedTotal(100, new BigDecimal("300"), new BigDecimal("999")));
  }

  @Test
  void pointsEarnedInAYearExpireAtTheEndOfTheNextInShopTime() {
    // 2023-12-31 20:00 UTC is already 2024 in Shanghai.
    assertEquals(OffsetDateTime.parse("2025-12-31T16:00Z"), PointsRules.expiresAt(OffsetDateTime.parse("2023-12-31T20:00Z")));
    assertEquals(OffsetDateTime.parse("2024-12-31T16:00Z"), PointsRules.expiresAt(OffsetDateTime.parse("2023-05-01T10:00Z")));
  }

  @Test
  void expiryConsumesOldestLotsFirstAndNeverExceedsTheBalance() {
    assertEquals(70, PointsRules.expiring(100, 30, 0, 120));   // 100 earned, 30 spent before: 70 left of the lot
    assertEquals(30, PointsRules.expiring(150, 50, 70, 30));   // second lot after the first expired
    assertEquals(0, PointsRules.expiring(100, 120, 0, 30));    // spending covered the whole lot
    assertEquals(10, PointsRules.expiring(100, 0, 0, 10));     // capped by the balance
  }

  @Test
  void birthdayMonthIsCountedInShopTime() {
    assertTrue(PointsRules.birthdayMonth(LocalDate.of(1990, 6, 15), OffsetDateTime.parse("2024-05-31T17:00Z")));
    assertFalse(PointsRules.birthdayMonth(LocalDate.of(1990, 6, 15), OffsetDateTime.parse("2024-05-31T15:00Z")));
    assertFalse(PointsRules.birthdayMonth(null, OffsetDateTime.parse("2024-06-01T00:00Z")));
  }
}
