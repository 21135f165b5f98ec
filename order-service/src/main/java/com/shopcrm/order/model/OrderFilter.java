package com.shopcrm.order.model;

import java.time.OffsetDateTime;

/** List filters; null means "any". {@code from} is inclusive, {@code to} exclusive (on ordered_at). */
public record OrderFilter(String customerExternalId, Long customerId, OrderStatus status, OffsetDateTime from,
    OffsetDateTime to, String channel, String couponCode) {
}
