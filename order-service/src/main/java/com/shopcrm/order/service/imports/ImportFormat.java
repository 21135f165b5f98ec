package com.shopcrm.order.service.imports;

import java.util.Arrays;

/** The CSV layouts {@code POST /api/v1/orders/imports?format=} takes. */
public enum ImportFormat {
  /** The fixed generic columns of ARCHITECTURE §4. */
  GENERIC,
  /** Taobao/Tmall seller-center "sold items" report (Chinese headers). */
  TAOBAO;

  public String wire() {
    return name().toLowerCase();
  }

  public static ImportFormat fromWire(String value) {
    return Arrays.stream(values()).filter(f -> f.wire().equals(value)).findFirst().orElse(null);
  }
}
