package com.shopcrm.order.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

public record RefundView(long id, long orderId, String type, BigDecimal amount, String reason, JsonNode items,
    OffsetDateTime createdAt) {
}
