package com.shopcrm.order.client;

import java.util.Map;

/**
 * What customer-service answered for a set of buyers: the customer id per {@link Buyer#key()},
 * or the reason it refused a buyer. {@code available == false} means it could not be asked
 * (down, timed out, circuit open): the orders are stored pending and resolved later.
 */
public record BuyerResolution(boolean available, Map<String, Long> ids, Map<String, String> errors) {

  public static final BuyerResolution NONE_NEEDED = new BuyerResolution(true, Map.of(), Map.of());

  public static BuyerResolution unavailable() {
    return new BuyerResolution(false, Map.of(), Map.of());
  }
}
