package com.shopcrm.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private final RouteTable<String> table = new RouteTable<>(new LinkedHashMap<>(Map.of(
      "/api/v1/orders", "order",
      "/api/v1/orders/special/", "special",
      "/api/v1/scores", "scoring")));

  @Test
  void matchesPrefixOnSegmentBoundaries() {
    assertEquals("order", table.match("/api/v1/orders"));
    assertEquals("order", table.match("/api/v1/orders/"));
    assertEquals("order", table.match("/api/v1/orders/imports/7"));
    assertNull(table.match("/api/v1/ordersx"));
    assertNull(table.match("/api/v1/order"));
    assertNull(table.match("/api/v1/admin/tenants"));
  }

  @Test
  void longestPrefixWins() {
    assertEquals("special", table.match("/api/v1/orders/special"));
    assertEquals("special", table.match("/api/v1/orders/special/1"));
    assertEquals("order", table.match("/api/v1/orders/specialty"));
  }

  @Test
  void rejectsRelativePrefix() {
    assertThrows(IllegalArgumentException.class, () -> new RouteTable<>(Map.of("api/v1/x", "x")));
  }
}
