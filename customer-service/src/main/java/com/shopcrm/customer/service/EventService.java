package com.shopcrm.customer.service;

import com.shopcrm.common.problem.Violations;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.customer.model.BatchEventInput;
import com.shopcrm.customer.model.BatchItemResult;
import com.shopcrm.customer.model.BatchResults;
import com.shopcrm.customer.model.EventInput;
import com.shopcrm.customer.model.EventType;
import com.shopcrm.customer.model.EventView;
import com.shopcrm.customer.model.Platform;
import com.shopcrm.customer.repository.EventRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Behaviour events: one at a time, in bulk (one statement), and a customer's timeline. */
@ApplicationScoped
public class EventService {

  /** Clients' clocks drift; events further in the future than this are refused. */
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);

  private final Pool pool;
  private final EventRepository events;
  private final CustomerService customers;
  private final ObjectMapper mapper;
  private final Validator validator;
  private final Clock clock;

  EventService(Pool pool, EventRepository events, CustomerService customers, ObjectMapper mapper,
      Validator validator, Clock clock) {
    this.pool = pool;
    this.events = events;
    this.customers = customers;
    this.mapper = mapper;
    this.validator = validator;
    this.clock = clock;
  }

  public Uni<EventView> record(SqlClient tx, TenantContext tenant, long customerId, EventInput in) {
    OffsetDateTime now = now();
    if (in.occurredAt() != null && in.occurredAt().isAfter(now.plus(MAX_CLOCK_SKEW))) {
      throw ProblemException.invalid("occurred_at", "must not be in the future");
    }
    return customers.requireLive(tx, tenant, customerId, false)
        .flatMap(ignored -> events.insert(tx, tenant.tenantId(), new Long[] {customerId},
            new String[] {in.type().wire()}, new OffsetDateTime[] {in.occurredAt()},
            new String[] {in.properties() == null ? null : json(in.properties())}, now))
        .map(views -> views.get(0));
  }

  public Uni<Page<EventView>> list(TenantContext tenant, long customerId, EventType type, PageRequest page) {
    return customers.get(tenant, customerId)
        .flatMap(ignored -> events.list(pool, tenant.tenantId(), customerId, type, page))
        .map(rows -> Page.of(rows, page, EventView::id));
  }

  /** Valid items are written together; invalid ones and unknown customers are reported by index. */
  public Uni<BatchResults> recordAll(SqlClient tx, TenantContext tenant, List<JsonNode> items) {
    OffsetDateTime now = now();
    BatchItemResult[] results = new BatchItemResult[items.size()];
    List<Integer> positions = new ArrayList<>();
    List<BatchEventInput> valid = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode node = items.get(i);
      String externalId = node != null && node.path("external_id").isTextual() ? node.get("external_id").asText() : null;
      if (node == null || !node.isObject()) {
        results[i] = BatchItemResult.error(i, null, "must be a JSON object");
        continue;
      }
      BatchEventInput in;
      try {
        in = mapper.treeToValue(node, BatchEventInput.class);
      } catch (JsonProcessingException e) {
        Problem.FieldError error = Violations.fieldError(e);
        results[i] = BatchItemResult.error(i, externalId, error.field() + ": " + error.message());
        continue;
      }
      List<Problem.FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(in)));
      if ((in.customerId() == null) == (in.externalId() == null)) {
        errors.add(new Problem.FieldError("customer_id", "give exactly one of customer_id and external_id"));
      }
      if (in.occurredAt() != null && in.occurredAt().isAfter(now.plus(MAX_CLOCK_SKEW))) {
        errors.add(new Problem.FieldError("occurred_at", "must not be in the future"));
      }
      if (!errors.isEmpty()) {
        results[i] = BatchItemResult.error(i, externalId, Violations.describe(errors));
        continue;
      }
      positions.add(i);
      valid.add(in);
    }
    if (valid.isEmpty()) {
      return Uni.createFrom().item(new BatchResults(List.of(results)));
    }
    Long[] ids = valid.stream().map(BatchEventInput::customerId).toArray(Long[]::new);
    String[] platforms = valid.stream()
        .map(v -> v.externalId() == null ? null : (v.platform() == null ? Platform.DEFAULT : v.platform()).wire())
        .toArray(String[]::new);
    String[] externalIds = valid.stream().map(BatchEventInput::externalId).toArray(String[]::new);
    return events.resolveCustomers(tx, tenant.tenantId(), ids, platforms, externalIds).flatMap(resolved -> {
      List<Integer> known = new ArrayList<>();
      for (int k = 0; k < valid.size(); k++) {
        int index = positions.get(k);
        if (resolved.containsKey(k)) {
          known.add(k);
        } else {
          BatchEventInput in = valid.get(k);
          results[index] = BatchItemResult.error(index, in.externalId(), in.customerId() != null
              ? "customer_id: customer " + in.customerId() + " does not exist"
              : "external_id: no customer with this platform and external_id");
        }
      }
      if (known.isEmpty()) {
        return Uni.createFrom().item(new BatchResults(List.of(results)));
      }
      return events.insert(tx, tenant.tenantId(),
              known.stream().map(resolved::get).toArray(Long[]::new),
              known.stream().map(k -> valid.get(k).type().wire()).toArray(String[]::new),
              known.stream().map(k -> valid.get(k).occurredAt()).toArray(OffsetDateTime[]::new),
              known.stream().map(k -> valid.get(k).properties() == null ? null : json(valid.get(k).properties()))
                  .toArray(String[]::new),
              now)
          .map(views -> {
            for (int j = 0; j < known.size(); j++) {
              int index = positions.get(known.get(j));
              EventView view = views.get(j);
              results[index] = new BatchItemResult(index, view.id(), valid.get(known.get(j)).externalId(),
                  BatchItemResult.Status.CREATED, null);
            }
            return new BatchResults(List.of(results));
          });
    });
  }

  private String json(Map<String, Object> value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
