package com.shopcrm.order.model;

import java.time.OffsetDateTime;

public record ReviewView(long id, long orderId, int rating, String text, boolean followUp, OffsetDateTime createdAt) {
}
