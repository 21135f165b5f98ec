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
}
