package com.shopcrm.order.model;

import java.math.BigDecimal;

public record OrderItemView(int lineNo, String sku, String productName, String category, int quantity,
    BigDecimal unitPrice) {
}
