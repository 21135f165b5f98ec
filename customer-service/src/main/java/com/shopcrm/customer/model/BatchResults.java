package com.shopcrm.customer.model;

import java.util.List;

/** {@code {"results": [...]}}: one entry per request item, in request order. */
public record BatchResults(List<BatchItemResult> results) {
}
