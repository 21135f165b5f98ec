package com.shopcrm.customer.model;

public record TagCount(String tag, long count) {
}
