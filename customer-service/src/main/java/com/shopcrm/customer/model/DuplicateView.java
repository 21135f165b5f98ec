package com.shopcrm.customer.model;

import java.util.List;

/** A likely duplicate of a customer and what matched: {@code phone}, {@code email} or both. */
public record DuplicateView(CustomerView customer, List<String> matchedOn) {
}
