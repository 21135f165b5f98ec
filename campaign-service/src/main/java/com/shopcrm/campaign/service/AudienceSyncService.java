package com.shopcrm.campaign.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.campaign.model.SegmentResults.SyncResult;
import com.shopcrm.campaign.repository.AudienceRepository;
import com.shopcrm.campaign.rule.AudienceField;
import com.shopcrm.common.problem.Problem.FieldError;
import com.shopcrm.common.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Feeds the audience read model from the services that own the data (docs/SEGMENTS.md): partial
 * profile upserts, removals of deleted customers and behaviour events, each call one transaction
 * with set-based statements, followed in the same transaction by the membership refresh of the
 * touched customers. Re-sending a batch changes nothing and records no membership change.
 */
@ApplicationScoped
public class AudienceSyncService {

  public static final int MAX_ITEMS = 5000;
  public static final int MAX_TAGS = 100;
  public static final int MAX_TEXT = 200;
  /** The profile item field that removes the customer from the read model. */
  public static final String DELETED = "deleted";

  /** Profile fields a sync may set, by their column (wire) name. */
  static final Map<String, AudienceField> SYNC_FIELDS = syncFields();

  private final Pool pool;
  private final AudienceRepository audience;
  private final MembershipService membership;
  private final TriggerEvaluator triggers;
  private final ObjectMapper mapper;
  private final Clock clock;

  AudienceSyncService(Pool pool, AudienceRepository audience, MembershipService membership, TriggerEvaluator triggers,
      ObjectMapper mapper, Clock clock) {
    this.pool = pool;
    this.audience = audience;
    this.membership = membership;
    this.triggers = triggers;
    this.mapper = mapper;
    this.clock = clock;
  }

  /**
   * Upserts the given fields of each profile; items for the same customer merge, later ones winning.
   * An item {@code {customer_id, deleted: true}} removes the customer from the read model for good
   * (profile, events, trigger state; memberships exit through the refresh below): any item for it,
   * in this batch or later, is ignored.
   */
  public Uni<SyncResult> syncProfiles(TenantContext tenant, List<JsonNode> items) {
    List<FieldError> errors = new ArrayList<>();
    TreeMap<Long, ObjectNode> byCustomer = new TreeMap<>();
    TreeSet<Long> deleted = new TreeSet<>();
    for (int i = 0; i < items.size(); i++) {
      ObjectNode profile = profile(items.get(i), "profiles[" + i + "]", errors);
      if (profile == null) {
        continue;
      }
      long id = profile.get("customer_id").asLong();
      if (profile.has(DELETED)) {
        deleted.add(id);
        byCustomer.remove(id);
      } else if (!deleted.contains(id)) {
        byCustomer.merge(id, profile, (a, b) -> (ObjectNode) a.setAll(b));
      }
    }
    if (!errors.isEmpty()) {
      throw SegmentService.invalid(errors);
    }
    ArrayNode array = mapper.createArrayNode();
    byCustomer.values().forEach(array::add);
    Long[] upserted = byCustomer.keySet().toArray(Long[]::new);
    Long[] removed = deleted.toArray(Long[]::new);
    TreeSet<Long> touchedSet = new TreeSet<>(byCustomer.keySet());
    touchedSet.addAll(deleted);
    Long[] ids = touchedSet.toArray(Long[]::new);
    String json = json(array);
    OffsetDateTime now = now();
    String tenantId = tenant.tenantId();
    return pool.withTransaction(tx -> audience.deleteProfiles(tx, tenantId, removed, now)
        .flatMap(gone -> audience.upsertProfiles(tx, tenantId, upserted, json, now)
            .flatMap(created -> membership.refreshTouched(tx, tenantId, ids, now)
                .map(changes -> new SyncResult(items.size(), ids.length, created, gone, changes)))))
        // after the commit: profile-driven triggers (birthday, win-back, repurchase) for these customers
        .call(result -> triggers.evaluateFor(tenantId, ids, TriggerEvaluator.PROFILE_KINDS));
  }

  /** Records behaviour events; ones already held are skipped. */
  public Uni<SyncResult> syncEvents(TenantContext tenant, List<JsonNode> items) {
    List<FieldError> errors = new ArrayList<>();
    int n = items.size();
    Long[] customers = new Long[n];
    String[] types = new String[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      String path = "events[" + i + "]";
      JsonNode item = items.get(i);
      if (item == null || !item.isObject()) {
        errors.add(new FieldError(path, "expected an object {customer_id, type, occurred_at}"));
        continue;
      }
      for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!List.of("customer_id", "type", "occurred_at").contains(name)) {
          errors.add(new FieldError(path + "." + name, "unknown field"));
        }
      }
      customers[i] = customerId(item, path, errors);
      JsonNode type = item.get("type");
      if (type == null || !type.isTextual() || !AudienceField.EVENT_TYPE.matcher(type.asText()).matches()) {
        errors.add(new FieldError(path + ".type", "expected an event type such as cart_abandon ([a-z][a-z0-9_]*)"));
      } else {
        types[i] = type.asText();
      }
      JsonNode occurred = item.get("occurred_at");
      try {
        if (occurred == null || !occurred.isTextual()) {
          throw new DateTimeParseException("missing", "", 0);
        }
        at[i] = OffsetDateTime.parse(occurred.asText());
      } catch (DateTimeParseException e) {
        errors.add(new FieldError(path + ".occurred_at", "expected an ISO-8601 timestamp with offset"));
      }
    }
    if (!errors.isEmpty()) {
      throw SegmentService.invalid(errors);
    }
    Long[] touched = new TreeSet<>(List.of(customers)).toArray(Long[]::new);
    OffsetDateTime now = now();
    String tenantId = tenant.tenantId();
    return pool.withTransaction(tx -> audience.insertEvents(tx, tenantId, customers, types, at)
        .flatMap(inserted -> membership.refreshTouched(tx, tenantId, touched, now)
            .map(changes -> new SyncResult(n, touched.length, inserted, 0, changes))))
        // after the commit: cart abandonments synced late may already be due
        .call(result -> triggers.evaluateFor(tenantId, touched, TriggerEvaluator.EVENT_KINDS));
  }

  /**
   * A validated copy of one profile item (unknown fields and wrong types become errors); a delete
   * item {@code {customer_id, deleted: true}} may carry nothing else.
   */
  private ObjectNode profile(JsonNode item, String path, List<FieldError> errors) {
    if (item == null || !item.isObject()) {
      errors.add(new FieldError(path, "expected an object with customer_id and profile fields"));
      return null;
    }
    int before = errors.size();
    Long id = customerId(item, path, errors);
    if (item.has(DELETED)) {
      if (!item.get(DELETED).isBoolean() || !item.get(DELETED).asBoolean()) {
        errors.add(new FieldError(path + "." + DELETED, "expected true (leave it out to update the profile)"));
      }
      for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("customer_id") && !name.equals(DELETED)) {
          errors.add(new FieldError(path + "." + name, "not allowed with deleted: true"));
        }
      }
      return errors.size() == before && id != null ? item.deepCopy() : null;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("customer_id")) {
        continue;
      }
      AudienceField field = SYNC_FIELDS.get(e.getKey());
      if (field == null) {
        errors.add(new FieldError(path + "." + e.getKey(), "unknown field"));
      } else if (!e.getValue().isNull()) {
        String problem = typeProblem(field, e.getValue());
        if (problem != null) {
          errors.add(new FieldError(path + "." + e.getKey(), problem));
        }
      }
    }
    return errors.size() == before && id != null ? item.deepCopy() : null;
  }

  private static Long customerId(JsonNode item, String path, List<FieldError> errors) {
    JsonNode id = item.get("customer_id");
    if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() < 1) {
      errors.add(new FieldError(path + ".customer_id", "expected the customer's id (a positive whole number)"));
      return null;
    }
    return id.asLong();
  }

  private static String typeProblem(AudienceField field, JsonNode value) {
    return switch (field.type()) {
      case TEXT -> value.isTextual() && value.asText().length() <= MAX_TEXT ? null
          : "expected a string of at most " + MAX_TEXT + " characters";
      case INTEGER -> value.isIntegralNumber() && value.canConvertToInt() ? null : "expected a whole number";
      case DECIMAL -> value.isNumber() && value.decimalValue().abs().compareTo(java.math.BigDecimal.TEN.pow(12)) < 0
          ? null : "expected a number below 10^12";
      case BOOLEAN -> value.isBoolean() ? null : "expected true or false";
      case DATE -> value.isTextual() && parses(() -> LocalDate.parse(value.asText())) ? null
          : "expected a date (YYYY-MM-DD)";
      case TIMESTAMP -> value.isTextual() && parses(() -> OffsetDateTime.parse(value.asText())) ? null
          : "expected an ISO-8601 timestamp with offset";
      case TEXT_ARRAY -> tags(value) ? null
          : "expected an array of at most " + MAX_TAGS + " strings of at most " + MAX_TEXT + " characters";
      default -> "cannot be set";
    };
  }

  private static boolean tags(JsonNode value) {
    if (!value.isArray() || value.size() > MAX_TAGS) {
      return false;
    }
    for (JsonNode tag : value) {
      if (!tag.isTextual() || tag.asText().length() > MAX_TEXT) {
        return false;
      }
    }
    return true;
  }

  private static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static Map<String, AudienceField> syncFields() {
    Map<String, AudienceField> fields = new TreeMap<>();
    AudienceField.PROFILE_FIELDS.values().forEach(f -> fields.put(f.column(), f));
    return Map.copyOf(fields);
  }

  private String json(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
