package com.shopcrm.scoring.model;

import java.util.Locale;

/**
 * The 8-class RFM scheme used by Chinese merchants (ARCHITECTURE §4, fixed ids): each of R, F, M
 * high (&uarr;) or low (&darr;) against a threshold, R&uarr; meaning recent.
 */
public enum RfmSegment {
  IMPORTANT_VALUE("important_value", true, true, true, "重要价值客户", "Important value"),
  IMPORTANT_DEVELOPMENT("important_development", true, false, true, "重要发展客户", "Important development"),
  IMPORTANT_RETENTION("important_retention", false, true, true, "重要保持客户", "Important retention"),
  IMPORTANT_WINBACK("important_winback", false, false, true, "重要挽留客户", "Important win-back"),
  GENERAL_VALUE("general_value", true, true, false, "一般价值客户", "General value"),
  GENERAL_DEVELOPMENT("general_development", true, false, false, "一般发展客户", "General development"),
  GENERAL_RETENTION("general_retention", false, true, false, "一般保持客户", "General retention"),
  GENERAL_WINBACK("general_winback", false, false, false, "一般挽留客户", "General win-back");

  private final String id;
  private final boolean recent;
  private final boolean frequent;
  private final boolean valuable;
  private final String labelZh;
  private final String labelEn;

  RfmSegment(String id, boolean recent, boolean frequent, boolean valuable, String labelZh, String labelEn) {
    this.id = id;
    this.recent = recent;
    this.frequent = frequent;
    this.valuable = valuable;
    this.labelZh = labelZh;
    this.labelEn = labelEn;
  }

  /** The fixed API id, e.g. {@code important_value}. */
  public String id() {
    return id;
  }

  /** The zh-CN label, e.g. 重要价值客户. */
  public String labelZh() {
    return labelZh;
  }

  /** The English label. */
  public String labelEn() {
    return labelEn;
  }

  /** The label for a language tag: {@code zh*} gives zh-CN, anything else English. */
  public String label(String languageTag) {
    return languageTag != null && languageTag.toLowerCase(Locale.ROOT).startsWith("zh") ? labelZh : labelEn;
  }

  /** The segment of a high/low combination. */
  public static RfmSegment of(boolean recent, boolean frequent, boolean valuable) {
    for (RfmSegment s : values()) {
      if (s.recent == recent && s.frequent == frequent && s.valuable == valuable) {
        return s;
      }
    }
    throw new AssertionError("all eight combinations are listed");
  }

  /** The segment of an API id. */
  public static RfmSegment fromId(String id) {
    for (RfmSegment s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown rfm_segment " + id);
  }
}
