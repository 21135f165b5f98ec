package com.shopcrm.customer.membership;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The arithmetic of points (pure, unit-tested): earning, refund reversal and FIFO expiry. */
public final class PointsRules {

  /** The shop's time zone: earning years and birthday months are counted in it. */
  public static final ZoneId SHOP_ZONE = ZoneId.of("Asia/Shanghai");

  private PointsRules() {
  }

  /**
   * floor(amount x tier multiplier x (birthday month ? birthday multiplier : 1)) + (first order ?
   * bonus : 0).
   */
  public static long earned(BigDecimal amount, BigDecimal tierMultiplier, boolean birthdayMonth,
      BigDecimal birthdayMultiplier, boolean firstOrder, int firstOrderBonus) {
    BigDecimal points = amount.multiply(tierMultiplier);
    if (birthdayMonth) {
      points = points.multiply(birthdayMultiplier);
    }
    long base = Math.max(0, points.setScale(0, RoundingMode.FLOOR).longValueExact());
    return base + (firstOrder ? firstOrderBonus : 0);
  }

  /** Points to have reversed in total once {@code refunded} of {@code amount} is refunded: proportional, rounded down. */
  public static long reversedTotal(long earned, BigDecimal amount, BigDecimal refunded) {
    if (amount.signum() <= 0) {
      return earned;
    }
    BigDecimal share = refunded.min(amount).max(BigDecimal.ZERO);
    if (share.compareTo(amount) == 0) {
      return earned;
    }
    return BigDecimal.valueOf(earned).multiply(share).divide(amount, 0, RoundingMode.FLOOR).longValueExact();
  }

  public static boolean birthdayMonth(LocalDate birthday, OffsetDateTime at) {
    return birthday != null && at.atZoneSameInstant(SHOP_ZONE).getMonth() == birthday.getMonth();
  }

  /** Points earned in year Y expire at the end of Y+1: the instant 1 January Y+2, 00:00 shop time. */
  public static OffsetDateTime expiresAt(OffsetDateTime earnedAt) {
    int year = earnedAt.atZoneSameInstant(SHOP_ZONE).getYear();
    return LocalDate.of(year + 2, 1, 1).atStartOfDay(SHOP_ZONE).toOffsetDateTime()
        .withOffsetSameInstant(ZoneOffset.UTC);
  }

  /**
   * FIFO expiry without touching earlier entries: debits consume the earliest-expiring lots first,
   * so what expires at a cut-off is what the lots expiring by then earned, less every debit before
   * it and what expired before; never more than the balance.
   *
   * @param earnedByCutoff points of earn entries expiring at or before the cut-off
   * @param debitedBefore  points taken (redeem, reverse, negative adjust) before the cut-off, positive
   * @param expiredBefore  points expired at earlier cut-offs, positive
   * @param balance        current balance
   */
  public static long expiring(long earnedByCutoff, long debitedBefore, long expiredBefore, long balance) {
    return Math.max(0, Math.min(balance, earnedByCutoff - debitedBefore - expiredBefore));
  }
}
