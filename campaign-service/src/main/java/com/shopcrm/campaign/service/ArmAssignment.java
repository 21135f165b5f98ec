package com.shopcrm.campaign.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Deterministic arms: a customer's bucket is {@code first 32 bits of md5("<campaign>:<customer>") mod
 * 10000}; buckets below {@code control_pct × 100} are the control, the rest is split among the
 * variants in proportion to their weights. The launch computes the same in SQL
 * ({@link #bucketSql}); this class gives the bounds and lets tests predict every assignment.
 */
public final class ArmAssignment {

  public static final int BUCKETS = 10_000;

  /** The bucket of profile {@code p} in SQL, drawn from the campaign id in parameter {@code seedParam}. */
  public static String bucketSql(String seedParam) {
    return "(('x' || substr(md5(" + seedParam + "::bigint::text || ':' || p.customer_id::text), 1, 8))::bit(32)::bigint % "
        + BUCKETS + ")";
  }

  private ArmAssignment() {
  }

  public static int controlBound(int controlPct) {
    return controlPct * BUCKETS / 100;
  }

  /** Exclusive upper bucket bound of each variant, in order; the last is {@link #BUCKETS}. */
  public static int[] upperBounds(int controlPct, List<Integer> weights) {
    int from = controlBound(controlPct);
    long total = weights.stream().mapToLong(Integer::longValue).sum();
    int[] bounds = new int[weights.size()];
    long cumulative = 0;
    for (int i = 0; i < weights.size(); i++) {
      cumulative += weights.get(i);
      bounds[i] = i == weights.size() - 1 ? BUCKETS : (int) (from + (BUCKETS - from) * cumulative / total);
    }
    return bounds;
  }

  public static int bucket(long campaignId, long customerId) {
    try {
      byte[] digest = MessageDigest.getInstance("MD5")
          .digest((campaignId + ":" + customerId).getBytes(StandardCharsets.UTF_8));
      long first32 = Long.parseLong(HexFormat.of().formatHex(digest).substring(0, 8), 16);
      return (int) (first32 % BUCKETS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The arm of a customer: "control" or the variant's name. */
  public static String arm(long campaignId, long customerId, int controlPct, List<String> names, List<Integer> weights) {
    int bucket = bucket(campaignId, customerId);
    if (bucket < controlBound(controlPct)) {
      return CampaignRules.CONTROL;
    }
    int[] bounds = upperBounds(controlPct, weights);
    for (int i = 0; i < bounds.length; i++) {
      if (bucket < bounds[i]) {
        return names.get(i);
      }
    }
    throw new IllegalStateException("bucket " + bucket + " beyond the last bound");
  }
}
