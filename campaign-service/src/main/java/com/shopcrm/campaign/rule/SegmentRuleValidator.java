package com.shopcrm.campaign.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.campaign.rule.AudienceField.Op;
import com.shopcrm.campaign.rule.AudienceField.Type;
import com.shopcrm.common.problem.Problem.FieldError;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a segment rule in the fixed JSON form (ARCHITECTURE §4) before it is stored or compiled:
 * {@code {"all": [...]}}, {@code {"any": [...]}}, {@code {"not": {...}}} and leaves
 * {@code {"field", "op", "value"}}. Every error names its place with a path such as
 * {@code rule.all[1].any[0].op}. Whether referenced segments exist (and form no cycle) is the
 * caller's check, on the {@link Result#references()} found here.
 */
public final class SegmentRuleValidator {

  public static final int MAX_DEPTH = 8;
  public static final int MAX_NODES = 500;
  public static final int MAX_VALUES = 1000;
  public static final int MAX_TEXT = 200;
  public static final int MAX_DAYS = 36_500;

  private static final Set<String> LEAF_KEYS = Set.of("field", "op", "value");

  /** The errors (empty when valid) and the segment ids the rule references, each with its path. */
  public record Result(List<FieldError> errors, Map<Long, String> references) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  private final List<FieldError> errors = new ArrayList<>();
  private final Map<Long, String> references = new LinkedHashMap<>();
  private int nodes;

  private SegmentRuleValidator() {
  }

  /** Validates {@code rule}, naming paths from {@code root} (e.g. {@code "rule"}). */
  public static Result validate(JsonNode rule, String root) {
    SegmentRuleValidator v = new SegmentRuleValidator();
    if (rule == null || rule.isNull() || rule.isMissingNode()) {
      v.error(root, "a rule is required");
    } else {
      v.node(rule, root, 1);
    }
    return new Result(List.copyOf(v.errors), Map.copyOf(v.references));
  }

  private void node(JsonNode node, String path, int depth) {
    if (++nodes > MAX_NODES) {
      if (nodes == MAX_NODES + 1) {
        error(path, "a rule holds at most " + MAX_NODES + " conditions");
      }
      return;
    }
    if (depth > MAX_DEPTH) {
      error(path, "rules nest at most " + MAX_DEPTH + " levels deep");
      return;
    }
    if (!node.isObject()) {
      error(path, "must be an object: {\"all\": [...]}, {\"any\": [...]}, {\"not\": {...}} or {\"field\", \"op\", \"value\"}");
      return;
    }
    if (node.has("all") || node.has("any") || node.has("not")) {
      String key = node.has("all") ? "all" : node.has("any") ? "any" : "not";
      if (node.size() != 1) {
        error(path, "'" + key + "' must be the only key of its object");
        return;
      }
      JsonNode inner = node.get(key);
      if (key.equals("not")) {
        node(inner, path + ".not", depth + 1);
        return;
      }
      if (!inner.isArray()) {
        error(path + "." + key, "must be an array of rules");
      } else if (inner.isEmpty()) {
        error(path + "." + key, "must hold at least one rule");
      } else {
        for (int i = 0; i < inner.size(); i++) {
          node(inner.get(i), path + "." + key + "[" + i + "]", depth + 1);
        }
      }
      return;
    }
    leaf(node, path);
  }

  private void leaf(JsonNode node, String path) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!LEAF_KEYS.contains(name)) {
        error(path + "." + name, "unknown key; a condition has field, op and value (or use all, any, not)");
      }
    }
    JsonNode fieldNode = node.get("field");
    JsonNode opNode = node.get("op");
    if (fieldNode == null || !fieldNode.isTextual()) {
      error(path + ".field", "a field name is required");
      return;
    }
    String fieldName = fieldNode.asText();
    AudienceField field = AudienceField.lookup(fieldName).orElse(null);
    if (field == null) {
      error(path + ".field", "unknown field '" + fieldName + "'");
      return;
    }
    if (opNode == null || !opNode.isTextual()) {
      error(path + ".op", "an operator is required");
      return;
    }
    Op op = Op.fromWire(opNode.asText()).orElse(null);
    if (op == null) {
      error(path + ".op", "unknown operator '" + opNode.asText() + "'");
      return;
    }
    if (!field.type().allows(op)) {
      error(path + ".op", "operator '" + op.wire() + "' does not apply to " + field.type().label() + " field '"
          + fieldName + "'");
      return;
    }
    value(field, op, node.get("value"), path + ".value");
  }

  private void value(AudienceField field, Op op, JsonNode value, String path) {
    switch (op) {
      case EXISTS -> {
        if (value != null && !value.isBoolean()) {
          error(path, "expected true or false (or no value, meaning true)");
        }
      }
      case WITHIN_LAST, BEFORE -> {
        if (value == null || !value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > MAX_DAYS) {
          error(path, "expected a whole number of days between 1 and " + MAX_DAYS);
        }
      }
      case BETWEEN -> {
        if (value == null || !value.isArray() || value.size() != 2) {
          error(path, "expected an array of two " + field.type().label() + " values [low, high]");
        } else {
          scalar(field, value.get(0), path + "[0]");
          scalar(field, value.get(1), path + "[1]");
        }
      }
      case IN, NOT_IN -> {
        if (value == null || !value.isArray() || value.isEmpty()) {
          error(path, "expected a non-empty array of " + elementLabel(field) + " values");
        } else if (value.size() > MAX_VALUES) {
          error(path, "at most " + MAX_VALUES + " values");
        } else {
          for (int i = 0; i < value.size(); i++) {
            if (field.type() == Type.SEGMENT) {
              JsonNode id = value.get(i);
              if (!id.isIntegralNumber() || id.asLong() < 1) {
                error(path + "[" + i + "]", "expected a segment id (a positive whole number)");
              } else {
                references.putIfAbsent(id.asLong(), path + "[" + i + "]");
              }
            } else {
              scalar(field, value.get(i), path + "[" + i + "]");
            }
          }
        }
      }
      case CONTAINS -> {
        if (value == null || !value.isTextual() || value.asText().isEmpty() || value.asText().length() > MAX_TEXT) {
          error(path, "expected a non-empty string of at most " + MAX_TEXT + " characters");
        }
      }
      default -> scalar(field, value, path);
    }
  }

  private static String elementLabel(AudienceField field) {
    return field.type() == Type.TEXT_ARRAY ? "text" : field.type().label();
  }

  private void scalar(AudienceField field, JsonNode value, String path) {
    String expected = switch (field.type()) {
      case TEXT, TEXT_ARRAY -> value != null && value.isTextual() && value.asText().length() <= MAX_TEXT ? null
          : "expected a string of at most " + MAX_TEXT + " characters";
      case INTEGER -> value != null && value.isIntegralNumber() && value.canConvertToLong() ? null
          : "expected a whole number";
      case DECIMAL -> value != null && value.isNumber() ? null : "expected a number";
      case BOOLEAN -> value != null && value.isBoolean() ? null : "expected true or false";
      case DATE -> value != null && value.isTextual() && date(value.asText()) ? null
          : "expected a date (YYYY-MM-DD)";
      case TIMESTAMP -> value != null && value.isTextual() && instant(value.asText()) ? null
          : "expected an ISO-8601 timestamp with offset or a date (YYYY-MM-DD)";
      default -> "no value applies here";
    };
    if (expected != null) {
      error(path, expected + " for " + field.type().label() + " field '" + field.name() + "'");
    }
  }

  static boolean date(String text) {
    try {
      LocalDate.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static boolean instant(String text) {
    try {
      OffsetDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return date(text);
    }
  }

  private void error(String path, String message) {
    errors.add(new FieldError(path, message));
  }
}
