package com.shopcrm.common.tenant;

/** The role names of ARCHITECTURE §3, as carried in the internal token's {@code groups} claim. */
public final class Roles {
  public static final String ADMIN = "admin";
  public static final String MARKETER = "marketer";
  public static final String AGENT = "agent";
  public static final String ANALYST = "analyst";
  public static final String INTEGRATION = "integration";

  private Roles() {
  }
}
