package com.shopcrm.customer.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

public record EventView(long id, long customerId, EventType type, OffsetDateTime occurredAt, JsonNode properties,
    OffsetDateTime recordedAt) {
}
