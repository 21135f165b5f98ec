package com.shopcrm.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void keepsASaneClientId() {
    assertEquals("abc-123_x.y:z", RequestIds.acceptOrGenerate("abc-123_x.y:z"));
  }

  @Test
  void replacesMissingOrOddIds() {
    for (String odd : new String[] {null, "", "has space", "x".repeat(129), "new\nline", "<script>"}) {
      String id = RequestIds.acceptOrGenerate(odd);
      assertNotEquals(odd, id);
      assertEquals(36, id.length());
    }
  }

  @Test
  void generatesDistinctVersion4Uuids() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = RequestIds.acceptOrGenerate(null);
      java.util.UUID uuid = java.util.UUID.fromString(id);
      assertEquals(4, uuid.version());
      assertEquals(2, uuid.variant());
      seen.add(id);
    }
    assertEquals(10_000, seen.size());
  }
}
