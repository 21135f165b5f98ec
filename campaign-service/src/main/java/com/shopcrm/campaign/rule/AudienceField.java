package com.shopcrm.campaign.rule;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A field a segment rule may test: a column of the audience read model, a behaviour event type
 * ({@code event.<type>}) or another saved segment ({@code segment}).
 *
 * @param name   the name in rules ({@code city}, {@code consent.sms}, {@code event.cart_abandon})
 * @param column the read-model column ({@code null} for events and segments)
 * @param type   what values and operators apply
 * @param eventType the event type for {@code event.*} fields
 */
public record AudienceField(String name, String column, Type type, String eventType) {

  /** Value types of fields, each with the operators that apply to it. */
  public enum Type {
    TEXT("text", EnumSet.of(Op.EQ, Op.NEQ, Op.IN, Op.NOT_IN, Op.CONTAINS, Op.EXISTS)),
    INTEGER("whole-number", EnumSet.of(Op.EQ, Op.NEQ, Op.IN, Op.NOT_IN, Op.GT, Op.GTE, Op.LT, Op.LTE, Op.BETWEEN,
        Op.EXISTS)),
    DECIMAL("number", EnumSet.of(Op.EQ, Op.NEQ, Op.IN, Op.NOT_IN, Op.GT, Op.GTE, Op.LT, Op.LTE, Op.BETWEEN,
        Op.EXISTS)),
    DATE("date", EnumSet.of(Op.EQ, Op.NEQ, Op.GT, Op.GTE, Op.LT, Op.LTE, Op.BETWEEN, Op.EXISTS, Op.WITHIN_LAST,
        Op.BEFORE)),
    TIMESTAMP("timestamp", EnumSet.of(Op.GT, Op.GTE, Op.LT, Op.LTE, Op.BETWEEN, Op.EXISTS, Op.WITHIN_LAST,
        Op.BEFORE)),
    BOOLEAN("boolean", EnumSet.of(Op.EQ, Op.NEQ, Op.EXISTS)),
    TEXT_ARRAY("text-list", EnumSet.of(Op.CONTAINS, Op.IN, Op.NOT_IN, Op.EXISTS)),
    EVENT("behaviour-event", EnumSet.of(Op.EXISTS, Op.WITHIN_LAST, Op.BEFORE)),
    SEGMENT("segment", EnumSet.of(Op.IN, Op.NOT_IN));

    private final String label;
    private final Set<Op> ops;

    Type(String label, Set<Op> ops) {
      this.label = label;
      this.ops = ops;
    }

    public String label() {
      return label;
    }

    public boolean allows(Op op) {
      return ops.contains(op);
    }
  }

  /** Rule operators, by their wire names. */
  public enum Op {
    EQ, NEQ, IN, NOT_IN, GT, GTE, LT, LTE, BETWEEN, CONTAINS, EXISTS, WITHIN_LAST, BEFORE;

    public String wire() {
      return name().toLowerCase();
    }

    public static Optional<Op> fromWire(String wire) {
      for (Op op : values()) {
        if (op.wire().equals(wire)) {
          return Optional.of(op);
        }
      }
      return Optional.empty();
    }
  }

  /** Event types as the event sync accepts them and {@code event.<type>} names them. */
  public static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /** The read-model columns a rule may test (and a profile sync may set), by rule name. */
  public static final Map<String, AudienceField> PROFILE_FIELDS = profileFields();

  public static Optional<AudienceField> lookup(String name) {
    if (name == null) {
      return Optional.empty();
    }
    if ("segment".equals(name)) {
      return Optional.of(new AudienceField(name, null, Type.SEGMENT, null));
    }
    if (name.startsWith("event.")) {
      String type = name.substring("event.".length());
      return EVENT_TYPE.matcher(type).matches()
          ? Optional.of(new AudienceField(name, null, Type.EVENT, type))
          : Optional.empty();
    }
    return Optional.ofNullable(PROFILE_FIELDS.get(name));
  }

  private static Map<String, AudienceField> profileFields() {
    Map<String, AudienceField> fields = new LinkedHashMap<>();
    for (String text : new String[] {"external_id", "name", "gender", "province", "city", "platform", "age_band",
        "tier", "rfm_segment", "rfm11", "lifecycle_stage"}) {
      fields.put(text, new AudienceField(text, text, Type.TEXT, null));
    }
    fields.put("birthday", new AudienceField("birthday", "birthday", Type.DATE, null));
    fields.put("created_at", new AudienceField("created_at", "created_at", Type.TIMESTAMP, null));
    fields.put("last_order_at", new AudienceField("last_order_at", "last_order_at", Type.TIMESTAMP, null));
    // scoring-service's expected next order date (repurchase reminder triggers)
    fields.put("expected_next_order_at", new AudienceField("expected_next_order_at", "expected_next_order_at",
        Type.TIMESTAMP, null));
    fields.put("tags", new AudienceField("tags", "tags", Type.TEXT_ARRAY, null));
    for (String channel : new String[] {"sms", "email", "app"}) {
      fields.put("consent." + channel, new AudienceField("consent." + channel, "consent_" + channel, Type.BOOLEAN,
          null));
    }
    for (String integer : new String[] {"points_balance", "frequency", "recency_days"}) {
      fields.put(integer, new AudienceField(integer, integer, Type.INTEGER, null));
    }
    for (String decimal : new String[] {"p_alive", "predicted_clv_365d", "monetary"}) {
      fields.put(decimal, new AudienceField(decimal, decimal, Type.DECIMAL, null));
    }
    return Map.copyOf(fields);
  }
}
