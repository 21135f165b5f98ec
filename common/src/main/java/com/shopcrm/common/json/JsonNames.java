package com.shopcrm.common.json;

/** Field names as clients see them: snake_case. */
public final class JsonNames {
  private JsonNames() {
  }

  public static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }
}
