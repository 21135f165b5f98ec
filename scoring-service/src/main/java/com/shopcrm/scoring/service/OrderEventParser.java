package com.shopcrm.scoring.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.scoring.repository.PurchaseFactRepository.Fact;
import com.shopcrm.scoring.repository.PurchaseFactRepository.Item;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads order events as order-service sends them: {@code {event_id, type, customer_id,
 * customer_external_id, order_no, occurred_at, payload}} (also {@code seq}, {@code order_id}) with
 * the order view as payload. Tolerant of fields it does not know (the producer may add some), strict
 * on what it needs: every bad event is listed and none is applied.
 */
final class OrderEventParser {

  /** One parsed event. */
  record ParsedEvent(String eventId, String type, Fact fact, List<Item> items) {
  }

  private static final Map<String, String> STATUS_OF_TYPE = Map.of(
      "order.created", "created", "order.paid", "paid", "order.completed", "completed",
      "order.cancelled", "cancelled");

  private final ZoneId shopZone;

  OrderEventParser(ZoneId shopZone) {
    this.shopZone = shopZone;
  }

  /** The events of a body: one event, or {@code {"events": [...]}}. */
  List<ParsedEvent> parse(JsonNode body, OffsetDateTime now) {
    if (body == null || !body.isObject()) {
      throw ProblemException.badRequest("the body must be one order event or {\"events\": [...]}");
    }
    List<Problem.FieldError> errors = new ArrayList<>();
    List<ParsedEvent> out = new ArrayList<>();
    if (body.has("events")) {
      JsonNode events = body.get("events");
      if (!events.isArray() || events.isEmpty()) {
        throw ProblemException.invalid("events", "must be a non-empty array of order events");
      }
      if (events.size() > 1000) {
        throw ProblemException.invalid("events", "at most 1000 events per call");
      }
      for (int i = 0; i < events.size(); i++) {
        ParsedEvent e = parseOne(events.get(i), "events[" + i + "].", errors, now);
        if (e != null) {
          out.add(e);
        }
      }
    } else {
      ParsedEvent e = parseOne(body, "", errors, now);
      if (e != null) {
        out.add(e);
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors.size() + " invalid order event field(s); nothing applied",
          errors));
    }
    return out;
  }

  private ParsedEvent parseOne(JsonNode e, String at, List<Problem.FieldError> errors, OffsetDateTime now) {
    int before = errors.size();
    if (e == null || !e.isObject()) {
      errors.add(new Problem.FieldError(at.isEmpty() ? "body" : at.substring(0, at.length() - 1), "must be an object"));
      return null;
    }
    JsonNode payload = e.path("payload");
    if (!payload.isObject()) {
      errors.add(new Problem.FieldError(at + "payload", "must be the order (an object)"));
      return null;
    }
    String eventId = text(e, "event_id");
    if (eventId == null) {
      errors.add(new Problem.FieldError(at + "event_id", "is required"));
    }
    String type = text(e, "type");
    String orderNo = firstText(e, payload, "order_no");
    if (orderNo == null) {
      errors.add(new Problem.FieldError(at + "order_no", "is required (on the event or in the payload)"));
    }
    Long customerId = firstLong(e, payload, "customer_id", at, errors);
    String externalId = firstText(e, payload, "customer_external_id");
    OffsetDateTime orderedAt = time(payload, "ordered_at", at + "payload.", errors, true);
    OffsetDateTime occurredAt = time(e, "occurred_at", at, errors, false);
    OffsetDateTime updatedAt = time(payload, "updated_at", at + "payload.", errors, false);
    BigDecimal total = money(payload, "total_amount", at + "payload.", errors, true);
    BigDecimal refunded = money(payload, "refunded_amount", at + "payload.", errors, false);
    String status = text(payload, "status");
    if (status == null) {
      status = type == null ? null : STATUS_OF_TYPE.get(type);
      if (status == null) {
        errors.add(new Problem.FieldError(at + "payload.status", "is required"));
      }
    }
    // (Long) casts: a long/null conditional would unbox the null and throw
    Long orderId = payload.path("id").canConvertToLong() ? (Long) payload.path("id").asLong()
        : e.path("order_id").canConvertToLong() ? (Long) e.path("order_id").asLong() : null;
    Long seq = e.path("seq").canConvertToLong() ? (Long) e.path("seq").asLong() : null;
    List<Item> items = items(payload.path("items"), at + "payload.items", errors);
    if (errors.size() > before) {
      return null;
    }
    OffsetDateTime version = updatedAt != null ? updatedAt : occurredAt != null ? occurredAt : now;
    return new ParsedEvent(eventId, type, new Fact(orderNo, orderId, customerId, externalId, orderedAt,
        orderedAt.atZoneSameInstant(shopZone).toLocalDate(), total, refunded == null ? BigDecimal.ZERO : refunded,
        status, seq, version), items);
  }

  /**
   * The order's items: each needs a sku; quantity (default 1) a whole number 0 or more; lines of
   * the same sku are summed (the last non-empty name and category win). No items: an empty list.
   */
  private static List<Item> items(JsonNode items, String at, List<Problem.FieldError> errors) {
    if (items.isMissingNode() || items.isNull()) {
      return List.of();
    }
    if (!items.isArray()) {
      errors.add(new Problem.FieldError(at, "must be an array of items"));
      return List.of();
    }
    Map<String, Item> bySku = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String where = at + "[" + i + "].";
      if (!item.isObject()) {
        errors.add(new Problem.FieldError(at + "[" + i + "]", "must be an object"));
        continue;
      }
      String sku = text(item, "sku");
      if (sku == null || sku.length() > 128) {
        errors.add(new Problem.FieldError(where + "sku", "is required (at most 128 characters)"));
        continue;
      }
      JsonNode q = item.path("quantity");
      int quantity = 1;
      if (!q.isMissingNode() && !q.isNull()) {
        if (!q.isIntegralNumber() || !q.canConvertToInt() || q.asInt() < 0) {
          errors.add(new Problem.FieldError(where + "quantity", "must be a whole number, 0 or more"));
          continue;
        }
        quantity = q.asInt();
      }
      Item line = new Item(sku, text(item, "product_name"), text(item, "category"), quantity);
      bySku.merge(sku, line, (a, b) -> new Item(sku, b.productName() != null ? b.productName() : a.productName(),
          b.category() != null ? b.category() : a.category(), a.quantity() + b.quantity()));
    }
    return List.copyOf(bySku.values());
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (v.isNull() || v.isMissingNode() || v.isContainerNode()) {
      return null;
    }
    String s = v.asText().trim();
    return s.isEmpty() ? null : s;
  }

  private static String firstText(JsonNode event, JsonNode payload, String field) {
    String v = text(event, field);
    return v != null ? v : text(payload, field);
  }

  private static Long firstLong(JsonNode event, JsonNode payload, String field, String at,
      List<Problem.FieldError> errors) {
    JsonNode v = event.hasNonNull(field) ? event.get(field) : payload.path(field);
    if (v.isNull() || v.isMissingNode()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      errors.add(new Problem.FieldError(at + field, "must be an integer id or null"));
      return null;
    }
    return v.asLong();
  }

  private static OffsetDateTime time(JsonNode node, String field, String at, List<Problem.FieldError> errors,
      boolean required) {
    JsonNode v = node.path(field);
    if (v.isNull() || v.isMissingNode()) {
      if (required) {
        errors.add(new Problem.FieldError(at + field, "is required"));
      }
      return null;
    }
    try {
      return OffsetDateTime.parse(v.asText());
    } catch (DateTimeParseException ex) {
      errors.add(new Problem.FieldError(at + field, "must be an ISO-8601 timestamp with offset"));
      return null;
    }
  }

  private static BigDecimal money(JsonNode node, String field, String at, List<Problem.FieldError> errors,
      boolean required) {
    JsonNode v = node.path(field);
    if (v.isNull() || v.isMissingNode()) {
      if (required) {
        errors.add(new Problem.FieldError(at + field, "is required"));
      }
      return null;
    }
    BigDecimal amount;
    if (v.isNumber()) {
      amount = v.decimalValue();
    } else {
      try {
        amount = new BigDecimal(v.asText());
      } catch (NumberFormatException ex) {
        errors.add(new Problem.FieldError(at + field, "must be a decimal amount"));
        return null;
      }
    }
    if (amount.signum() < 0 || amount.compareTo(new BigDecimal("999999999999")) > 0) {
      errors.add(new Problem.FieldError(at + field, "must be between 0 and 999999999999"));
      return null;
    }
    return amount.setScale(2, java.math.RoundingMode.HALF_UP);
  }
}
