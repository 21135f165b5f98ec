package com.shopcrm.campaign.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArmAssignmentTest {

  @Test
  void boundsSplitTheNonControlBucketsByWeight() {
    assertArrayEquals(new int[] {5000, 10000}, ArmAssignment.upperBounds(0, List.of(1, 1)));
    // control 20% = buckets 0..1999; weights 1:3 split 8000 buckets 2000/6000
    assertArrayEquals(new int[] {4000, 10000}, ArmAssignment.upperBounds(20, List.of(1, 3)));
  }

  @Test
  void bucketIsTheFirst32BitsOfMd5ModTenThousand() {
    // md5("7:42") = ad177c67... -> 0xad177c67 = 2903997543 -> mod 10000 = 7543 (the SQL computes the same)
    assertEquals(7543, ArmAssignment.bucket(7, 42));
  }

  @Test
  void largeAudienceSplitsCloseToTheShares() {
    Map<String, Integer> sizes = new HashMap<>();
    for (long c = 1; c <= 20_000; c++) {
      sizes.merge(ArmAssignment.arm(99, c, 20, List.of("a", "b"), List.of(1, 1)), 1, Integer::sum);
    }
    assertTrue(Math.abs(sizes.get("control") - 4000) < 250, sizes.toString());
    assertTrue(Math.abs(sizes.get("a") - 8000) < 300, sizes.toString());
    assertTrue(Math.abs(sizes.get("b") - 8000) < 300, sizes.toString());
  }
}
