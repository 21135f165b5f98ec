package com.shopcrm.order.client;

/** A buyer as an order names it, with what the order knows about them. */
public record Buyer(String platform, String externalId, String name, String phone, String email, String province,
    String city) {

  /** Identity of the buyer within a tenant: platform + external id. */
  public String key() {
    return key(platform, externalId);
  }

  public static String key(String platform, String externalId) {
    return platform + '\u0000' + externalId;
  }
}
