package com.shopcrm.campaign.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.campaign.rule.AudienceField.Op;
import com.shopcrm.campaign.rule.AudienceField.Type;
import com.shopcrm.common.problem.ProblemException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.StringJoiner;

/**
 * Turns a validated segment rule into ONE SQL boolean condition over the audience read model,
 * {@code audience_profile p}: every value becomes a numbered parameter ({@code $n}, appended to
 * the caller's argument list), never text in the SQL; only column names from
 * {@link AudienceField} and fixed operators are written into it.
 *
 * <p>Semantics: a condition on an unknown (NULL) value is false, and {@code not} is the exact
 * complement ({@code NOT coalesce(x, false)}), so {@code not {city eq 上海}} includes customers
 * whose city is unknown; {@code neq} and {@code not_in} agree with that. {@code event.<type>}
 * tests whether the customer has such an event (ever / in the last N days / more than N days
 * ago); {@code segment in [ids]} inlines the referenced segments' rules (so results never depend
 * on how fresh stored membership is). Relative dates are computed from {@code now}.
 */
public final class SegmentRuleCompiler {

  /** Upper bound of conditions after inlining referenced segments. */
  public static final int MAX_EXPANDED = 5_000;

  /** Rules of saved segments, for {@code segment in [...]}; {@code null} for an unknown id. */
  @FunctionalInterface
  public interface SegmentRules {
    JsonNode rule(long segmentId);
  }

  private final SegmentRules segments;
  private final OffsetDateTime now;
  private final List<Object> args;
  private final Deque<Long> expanding = new ArrayDeque<>();
  private int conditions;

  private SegmentRuleCompiler(SegmentRules segments, OffsetDateTime now, List<Object> args) {
    this.segments = segments;
    this.now = now;
    this.args = args;
  }

  /**
   * The condition for {@code rule}, appending its parameters to {@code args} (so {@code $1..$k}
   * already in {@code args} stay the caller's, e.g. the tenant).
   *
   * @param self the id of the segment being compiled, or {@code null}: a reference back to it is a cycle
   */
  public static String compile(JsonNode rule, SegmentRules segments, OffsetDateTime now, List<Object> args,
      Long self) {
    SegmentRuleCompiler compiler = new SegmentRuleCompiler(segments, now.withOffsetSameInstant(ZoneOffset.UTC), args);
    if (self != null) {
      compiler.expanding.push(self);
    }
    return compiler.node(rule);
  }

  public static String compile(JsonNode rule, SegmentRules segments, OffsetDateTime now, List<Object> args) {
    return compile(rule, segments, now, args, null);
  }

  private String node(JsonNode node) {
    if (++conditions > MAX_EXPANDED) {
      throw ProblemException.invalid("rule", "more than " + MAX_EXPANDED
          + " conditions once referenced segments are expanded");
    }
    if (node.has("all")) {
      return join(node.get("all"), " AND ");
    }
    if (node.has("any")) {
      return join(node.get("any"), " OR ");
    }
    if (node.has("not")) {
      return "NOT coalesce(" + node(node.get("not")) + ", false)";
    }
    AudienceField field = AudienceField.lookup(node.get("field").asText())
        .orElseThrow(() -> new IllegalArgumentException("unvalidated rule: " + node));
    Op op = Op.fromWire(node.get("op").asText())
        .orElseThrow(() -> new IllegalArgumentException("unvalidated rule: " + node));
    JsonNode value = node.get("value");
    return switch (field.type()) {
      case EVENT -> event(field, op, value);
      case SEGMENT -> segment(op, value);
      case TEXT_ARRAY -> tags(field, op, value);
      default -> column(field, op, value);
    };
  }

  private String join(JsonNode children, String operator) {
    StringJoiner joined = new StringJoiner(operator, "(", ")");
    children.forEach(child -> joined.add(node(child)));
    return joined.toString();
  }

  private String column(AudienceField field, Op op, JsonNode value) {
    String col = "p." + field.column();
    String cast = cast(field.type());
    return switch (op) {
      case EQ -> col + " = " + param(scalar(field.type(), value), cast);
      case NEQ -> col + " IS DISTINCT FROM " + param(scalar(field.type(), value), cast);
      case GT -> col + " > " + param(scalar(field.type(), value), cast);
      case GTE -> col + " >= " + param(scalar(field.type(), value), cast);
      case LT -> col + " < " + param(scalar(field.type(), value), cast);
      case LTE -> col + " <= " + param(scalar(field.type(), value), cast);
      case BETWEEN -> col + " BETWEEN " + param(scalar(field.type(), value.get(0)), cast) + " AND "
          + param(scalar(field.type(), value.get(1)), cast);
      case IN -> in(field, col, value);
      case NOT_IN -> "NOT coalesce(" + in(field, col, value) + ", false)";
      case CONTAINS -> "strpos(" + col + ", " + param(value.asText(), "text") + ") > 0";
      case EXISTS -> col + (exists(value) ? " IS NOT NULL" : " IS NULL");
      case WITHIN_LAST -> col + " >= " + cutoff(field.type(), value.asLong());
      case BEFORE -> col + " < " + cutoff(field.type(), value.asLong());
    };
  }

  /** Text lists go as one array parameter; numbers as a short list of parameters. */
  private String in(AudienceField field, String col, JsonNode values) {
    if (field.type() == Type.TEXT) {
      String[] texts = new String[values.size()];
      for (int i = 0; i < texts.length; i++) {
        texts[i] = values.get(i).asText();
      }
      return col + " = ANY(" + param(texts, "text[]") + ")";
    }
    StringJoiner list = new StringJoiner(", ", col + " IN (", ")");
    values.forEach(v -> list.add(param(scalar(field.type(), v), cast(field.type()))));
    return list.toString();
  }

  private String tags(AudienceField field, Op op, JsonNode value) {
    String col = "p." + field.column();
    return switch (op) {
      case CONTAINS -> col + " @> ARRAY[" + param(value.asText(), "text") + "]";
      case IN -> col + " && " + param(texts(value), "text[]");
      case NOT_IN -> "NOT (" + col + " && " + param(texts(value), "text[]") + ")";
      case EXISTS -> "cardinality(" + col + ")" + (exists(value) ? " > 0" : " = 0");
      default -> throw new IllegalArgumentException("unvalidated operator " + op + " on " + field.name());
    };
  }

  private String event(AudienceField field, Op op, JsonNode value) {
    String base = "EXISTS (SELECT 1 FROM audience_event e WHERE e.tenant_id = p.tenant_id"
        + " AND e.customer_id = p.customer_id AND e.type = " + param(field.eventType(), "text");
    return switch (op) {
      case EXISTS -> (exists(value) ? "" : "NOT ") + base + ")";
      case WITHIN_LAST -> base + " AND e.occurred_at >= " + cutoff(Type.TIMESTAMP, value.asLong()) + ")";
      case BEFORE -> base + " AND e.occurred_at < " + cutoff(Type.TIMESTAMP, value.asLong()) + ")";
      default -> throw new IllegalArgumentException("unvalidated operator " + op + " on " + field.name());
    };
  }

  private String segment(Op op, JsonNode ids) {
    StringJoiner any = new StringJoiner(" OR ", "(", ")");
    for (JsonNode id : ids) {
      long segmentId = id.asLong();
      if (expanding.contains(segmentId)) {
        throw ProblemException.invalid("rule", "segment reference cycle through segment " + segmentId);
      }
      JsonNode rule = segments.rule(segmentId);
      if (rule == null) {
        any.add("false");
        continue;
      }
      expanding.push(segmentId);
      any.add(node(rule));
      expanding.pop();
    }
    return op == Op.IN ? any.toString() : "NOT coalesce(" + any + ", false)";
  }

  private String cutoff(Type type, long days) {
    return type == Type.DATE
        ? param(now.toLocalDate().minusDays(days), "date")
        : param(now.minusDays(days), "timestamptz");
  }

  private static boolean exists(JsonNode value) {
    return value == null || value.asBoolean();
  }

  private static String[] texts(JsonNode values) {
    String[] texts = new String[values.size()];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = values.get(i).asText();
    }
    return texts;
  }

  private String param(Object value, String cast) {
    args.add(value);
    return "$" + args.size() + "::" + cast;
  }

  static String cast(Type type) {
    return switch (type) {
      case INTEGER -> "bigint";
      case DECIMAL -> "numeric";
      case DATE -> "date";
      case TIMESTAMP -> "timestamptz";
      case BOOLEAN -> "boolean";
      default -> "text";
    };
  }

  /** A JSON value as the Java type the PostgreSQL client binds for the field's type. */
  public static Object scalar(Type type, JsonNode value) {
    return switch (type) {
      case INTEGER -> value.asLong();
      case DECIMAL -> value.decimalValue();
      case BOOLEAN -> value.asBoolean();
      case DATE -> LocalDate.parse(value.asText());
      case TIMESTAMP -> timestamp(value.asText());
      default -> value.asText();
    };
  }

  static OffsetDateTime timestamp(String text) {
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
    }
  }
}
