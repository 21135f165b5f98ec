package com.shopcrm.launcher.datagen;

import java.math.BigDecimal;

/** A catalogue entry; {@code rank} 1 is the best seller. */
public record Product(int rank, String sku, String name, String category, BigDecimal price) {
}
