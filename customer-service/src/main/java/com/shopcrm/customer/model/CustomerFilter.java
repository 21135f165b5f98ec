package com.shopcrm.customer.model;

import java.time.OffsetDateTime;

/**
 * The filters of {@code GET /api/v1/customers}; every one optional. {@code q} is the free text
 * lower-cased; {@code qPhone} its normalised digits when it looks like a phone number.
 */
public record CustomerFilter(String tag, String q, String qPhone, String province, String city, OffsetDateTime createdFrom,
    OffsetDateTime createdTo, Platform platform) {
}
