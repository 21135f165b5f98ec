package com.shopcrm.scoring.model;

import java.util.Locale;

/** A customer's lifecycle stage; {@link #id()} is the API's {@code lifecycle_stage}. */
public enum LifecycleStage {
  PROSPECT("潜在客户", "Prospect"),
  NEW("新客户", "New"),
  ACTIVE("活跃客户", "Active"),
  AT_RISK("流失风险客户", "At risk"),
  CHURNED("已流失客户", "Churned");

  private final String labelZh;
  private final String labelEn;

  LifecycleStage(String labelZh, String labelEn) {
    this.labelZh = labelZh;
    this.labelEn = labelEn;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String labelZh() {
    return labelZh;
  }

  public String labelEn() {
    return labelEn;
  }
}
