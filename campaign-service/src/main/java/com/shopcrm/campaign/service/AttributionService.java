package com.shopcrm.campaign.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.campaign.model.CampaignResults.OrderEventBatchResult;
import com.shopcrm.campaign.model.CampaignResults.OrderEventResult;
import com.shopcrm.campaign.repository.AttributionRepository;
import com.shopcrm.common.problem.Problem.FieldError;
import com.shopcrm.common.tenant.TenantContext;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Consumes order-service's events ({@code {event_id, type, customer_id, order_no, occurred_at,
 * payload}}; unknown fields ignored): a paid or completed order of a kept recipient within a
 * campaign's attribution window is a conversion with its revenue ({@code payload.total_amount});
 * a {@code payload.coupon_code} of a campaign coupon is redeemed once, by its owner, in the
 * caller's tenant ({@link CouponRedemption}, the same rule as the coupon API) — anything else is
 * ignored and recorded on the event. Idempotent by event id; all in one transaction. One event per
 * call, or a batch of one tenant's events ({@code {"events": [...]}}) applied in order, all or
 * nothing — a single event is a batch of one, so both take the same path.
 */
@ApplicationScoped
public class AttributionService {

  /** The most events one call may carry (order-service sends {@code batch-size}, 200 by default). */
  static final int MAX_BATCH = 1000;
  static final Set<String> CONVERTING = Set.of("order.paid", "order.completed");
  /** Events that take (part of) an order's revenue back. */
  static final Set<String> REVERSING = Set.of("order.refunded", "order.cancelled");
  /** An order that arrives already paid (an import, a platform sync) has only its order.created event. */
  static final Set<String> PAID_STATUSES = Set.of("paid", "shipped", "completed", "partially_refunded");

  private final Pool pool;
  private final AttributionRepository repo;
  private final CouponRedemption coupons;
  private final TriggerEvaluator triggers;
  private final Clock clock;

  AttributionService(Pool pool, AttributionRepository repo, CouponRedemption coupons, TriggerEvaluator triggers,
      Clock clock) {
    this.pool = pool;
    this.repo = repo;
    this.coupons = coupons;
    this.triggers = triggers;
    this.clock = clock;
  }

  record OrderEvent(String eventId, String type, Long customerId, String orderNo, OffsetDateTime occurredAt,
      BigDecimal total, BigDecimal refunded, String couponCode, String status) {

    /** What the shop keeps of the order after this event: nothing once cancelled or fully refunded. */
    BigDecimal net() {
      if ("order.cancelled".equals(type) || "refunded".equals(status) || "cancelled".equals(status) || total == null) {
        return BigDecimal.ZERO;
      }
      return total.subtract(refunded == null ? BigDecimal.ZERO : refunded);
    }

    /** Paid or completed now, or created already paid. */
    boolean converts() {
      return CONVERTING.contains(type)
          || "order.created".equals(type) && status != null && PAID_STATUSES.contains(status);
    }
  }

  /** One event: the batch path with a batch of one. */
  public Uni<OrderEventResult> apply(TenantContext tenant, JsonNode body) {
    OrderEvent event = parse(body, "", tenant.tenantId());
    return applyAll(tenant.tenantId(), List.of(event)).map(results -> results.get(0));
  }

  /**
   * A batch ({@code {"events": [...]}}, at most {@value #MAX_BATCH}) of the caller's tenant,
   * applied in order in one transaction: all or nothing, a batch with any invalid event (or one
   * naming another tenant) is refused whole (400 listing each).
   */
  public Uni<OrderEventBatchResult> applyBatch(TenantContext tenant, JsonNode body) {
    List<OrderEvent> events = parseBatch(body, tenant.tenantId());
    return applyAll(tenant.tenantId(), events).map(OrderEventBatchResult::of);
  }

  /**
   * The events in order, in one transaction. Set-based: the batch's new events are recorded by one
   * statement, then run through in runs of distinct orders (a run ends where an order comes back,
   * so an order's later event sees what its earlier one did), each run costing one statement per
   * step — reversals, conversions, outcomes — plus the coupon redemptions one by one in event order
   * (each locks its coupon; two orders with one code: the first wins). Within a run the steps
   * commute, as they touch distinct orders and coupons are redeemed in order.
   */
  Uni<List<OrderEventResult>> applyAll(String tenantId, List<OrderEvent> events) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    // an id twice in one batch: the later one is a duplicate of the earlier, as in two calls
    Map<String, OrderEvent> firstById = new LinkedHashMap<>();
    events.forEach(e -> firstById.putIfAbsent(e.eventId(), e));
    List<OrderEvent> distinct = new ArrayList<>(firstById.values());
    Map<OrderEvent, OrderEventResult> results = new IdentityHashMap<>();
    return pool.withTransaction(tx -> repo.record(tx, tenantId,
            distinct.stream().map(OrderEvent::eventId).toArray(String[]::new),
            distinct.stream().map(OrderEvent::type).toArray(String[]::new),
            distinct.stream().map(OrderEvent::customerId).toArray(Long[]::new),
            distinct.stream().map(OrderEvent::orderNo).toArray(String[]::new),
            distinct.stream().map(OrderEvent::occurredAt).toArray(OffsetDateTime[]::new), now)
        .flatMap(fresh -> {
          List<OrderEvent> applied = distinct.stream().filter(e -> fresh.contains(e.eventId())).toList();
          return Multi.createFrom().iterable(runsOfDistinctOrders(applied))
              .onItem().transformToUniAndConcatenate(run -> applyRun(tx, tenantId, run).invoke(results::putAll))
              .collect().last();
        }))
        .map(ignored -> {
          List<OrderEventResult> out = new ArrayList<>(events.size());
          for (OrderEvent e : events) {
            OrderEventResult r = results.get(e); // absent: a duplicate, of an earlier call or of this batch
            out.add(r != null ? r : new OrderEventResult(e.eventId(), true, 0, null, 0));
          }
          return out;
        })
        // a completed order may make a review request due at once; an order closes cart abandonments
        .call(out -> {
          Long[] customers = results.keySet().stream().map(OrderEvent::customerId).filter(Objects::nonNull)
              .distinct().toArray(Long[]::new);
          return customers.length == 0 ? Uni.createFrom().voidItem()
              : triggers.evaluateFor(tenantId, customers, TriggerEvaluator.ORDER_KINDS);
        });
  }

  /** Consecutive runs in which no order appears twice. */
  static List<List<OrderEvent>> runsOfDistinctOrders(List<OrderEvent> events) {
    List<List<OrderEvent>> runs = new ArrayList<>();
    List<OrderEvent> run = new ArrayList<>();
    Set<String> orders = new HashSet<>();
    for (OrderEvent e : events) {
      if (e.orderNo() != null && !orders.add(e.orderNo())) {
        runs.add(run);
        run = new ArrayList<>();
        orders.clear();
        orders.add(e.orderNo());
      }
      run.add(e);
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
    return runs;
  }

  /** One run of new events (distinct orders): what each came to. */
  private Uni<Map<OrderEvent, OrderEventResult>> applyRun(SqlClient tx, String tenantId, List<OrderEvent> run) {
    List<OrderEvent> reversing = run.stream()
        .filter(e -> REVERSING.contains(e.type()) && e.orderNo() != null).toList();
    List<OrderEvent> converting = run.stream()
        .filter(e -> !REVERSING.contains(e.type()) && e.converts() && e.customerId() != null && e.orderNo() != null)
        .toList();
    Map<OrderEvent, OrderEventResult> out = new IdentityHashMap<>();
    run.forEach(e -> out.put(e, new OrderEventResult(e.eventId(), false, 0, null, 0)));
    Map<OrderEvent, String> couponOutcomes = new IdentityHashMap<>();
    return repo.reverse(tx, tenantId, reversing.stream().map(OrderEvent::orderNo).toArray(String[]::new),
            reversing.stream().map(OrderEvent::net).toArray(BigDecimal[]::new))
        .invoke(reversed -> reversing.forEach(e -> out.put(e,
            new OrderEventResult(e.eventId(), false, 0, null, reversed.getOrDefault(e.orderNo(), 0)))))
        .flatMap(v -> repo.convert(tx, tenantId, converting.stream().map(OrderEvent::customerId).toArray(Long[]::new),
            converting.stream().map(OrderEvent::orderNo).toArray(String[]::new),
            converting.stream().map(e -> e.total() == null ? BigDecimal.ZERO : e.total()).toArray(BigDecimal[]::new),
            converting.stream().map(OrderEvent::occurredAt).toArray(OffsetDateTime[]::new)))
        .flatMap(conversions -> Multi.createFrom().iterable(converting)
            .onItem().transformToUniAndConcatenate(e -> coupon(tx, tenantId, e)
                .invoke(outcome -> couponOutcomes.put(e, outcome)))
            .collect().last()
            .flatMap(v -> {
              converting.forEach(e -> out.put(e, new OrderEventResult(e.eventId(), false,
                  conversions.getOrDefault(e.orderNo(), 0), couponOutcomes.get(e), 0)));
              return repo.outcomes(tx, tenantId, converting.stream().map(OrderEvent::eventId).toArray(String[]::new),
                  converting.stream().map(e -> conversions.getOrDefault(e.orderNo(), 0)).toArray(Integer[]::new),
                  converting.stream().map(couponOutcomes::get).toArray(String[]::new));
            }))
        .replaceWith(out);
  }

  private Uni<String> coupon(SqlClient tx, String tenantId, OrderEvent event) {
    if (event.couponCode() == null) {
      return Uni.createFrom().nullItem();
    }
    return coupons.redeem(tx, tenantId, event.couponCode(), event.customerId(), event.orderNo(), event.total(),
        event.occurredAt()).map(result -> {
          if (result.outcome() != CouponRedemption.Outcome.REDEEMED) {
            Log.infof("coupon %s on order %s of customer %d (%s) not redeemed: %s", event.couponCode(),
                event.orderNo(), event.customerId(), tenantId, result.outcome().code);
          }
          return result.outcome().code;
        });
  }

  /** The events of a batch body; every bad event is listed and none is applied. */
  static List<OrderEvent> parseBatch(JsonNode body, String tenantId) {
    if (body == null || !body.isObject() || !body.has("events")) {
      throw CampaignService.invalid(List.of(new FieldError("events", "expected {\"events\": [...]}")));
    }
    JsonNode events = body.get("events");
    if (!events.isArray() || events.isEmpty()) {
      throw CampaignService.invalid(List.of(new FieldError("events", "must be a non-empty array of order events")));
    }
    if (events.size() > MAX_BATCH) {
      throw CampaignService.invalid(List.of(new FieldError("events", "at most " + MAX_BATCH + " events per call")));
    }
    List<FieldError> errors = new ArrayList<>();
    List<OrderEvent> out = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      OrderEvent e = parseInto(events.get(i), "events[" + i + "].", tenantId, errors);
      if (e != null) {
        out.add(e);
      }
    }
    if (!errors.isEmpty()) {
      throw CampaignService.invalid(errors);
    }
    return out;
  }

  /** The fields this consumer reads; anything else in the event is ignored. */
  static OrderEvent parse(JsonNode body, String prefix, String tenantId) {
    List<FieldError> errors = new ArrayList<>();
    OrderEvent event = parseInto(body, prefix, tenantId, errors);
    if (!errors.isEmpty()) {
      throw CampaignService.invalid(errors);
    }
    return event;
  }

  /**
   * One event, its errors added to {@code errors} with field names after {@code prefix}; null when
   * it has any. An event may name its tenant ({@code tenant_id}): it must be the caller's.
   */
  private static OrderEvent parseInto(JsonNode body, String prefix, String tenantId, List<FieldError> errors) {
    int before = errors.size();
    if (body == null || !body.isObject()) {
      errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
          "expected an order event object"));
      return null;
    }
    String eventId = text(body, prefix, "event_id", true, errors);
    String type = text(body, prefix, "type", true, errors);
    String eventTenant = text(body, prefix, "tenant_id", false, errors);
    if (eventTenant != null && !eventTenant.equals(tenantId)) {
      errors.add(new FieldError(prefix + "tenant_id", "not the caller's tenant: one tenant per call"));
    }
    Long customerId = null;
    JsonNode c = body.get("customer_id");
    if (c != null && !c.isNull()) {
      if (c.canConvertToLong() && c.isIntegralNumber()) {
        customerId = c.asLong();
      } else {
        errors.add(new FieldError(prefix + "customer_id", "expected a whole number"));
      }
    }
    JsonNode payload = body.path("payload");
    String orderNo = text(body, prefix, "order_no", false, errors);
    if (orderNo == null && payload.isObject()) {
      orderNo = text(payload, prefix + "payload.", "order_no", false, errors);
    }
    OffsetDateTime occurredAt = null;
    String when = text(body, prefix, "occurred_at", true, errors);
    if (when != null) {
      try {
        occurredAt = OffsetDateTime.parse(when);
      } catch (DateTimeParseException e) {
        errors.add(new FieldError(prefix + "occurred_at", "expected an ISO-8601 instant"));
      }
    }
    BigDecimal total = null;
    BigDecimal refunded = null;
    String coupon = null;
    String status = null;
    if (payload.isObject()) {
      String at = prefix + "payload.";
      status = text(payload, at, "status", false, errors);
      JsonNode amount = payload.get("total_amount");
      if (amount != null && !amount.isNull()) {
        if (amount.isNumber() && (!amount.isFloatingPointNumber() || Double.isFinite(amount.doubleValue()))) {
          total = amount.decimalValue();
        } else if (amount.isNumber()) { // 1e400 reads as an infinite double, which has no decimal value
          errors.add(new FieldError(at + "total_amount", "expected a finite number"));
        } else {
          errors.add(new FieldError(at + "total_amount", "expected a number"));
        }
      }
      JsonNode back = payload.get("refunded_amount");
      if (back != null && !back.isNull()) {
        if (back.isNumber()) {
          refunded = back.decimalValue();
        } else {
          errors.add(new FieldError(at + "refunded_amount", "expected a number"));
        }
      }
      coupon = text(payload, at, "coupon_code", false, errors);
      if (coupon != null && coupon.isBlank()) {
        coupon = null;
      }
    }
    if (errors.size() > before) {
      return null;
    }
    return new OrderEvent(eventId, type, customerId, orderNo, occurredAt, total, refunded, coupon, status);
  }

  private static String text(JsonNode node, String prefix, String field, boolean required, List<FieldError> errors) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        errors.add(new FieldError(prefix + field, "required"));
      }
      return null;
    }
    if (value.isTextual() || value.isIntegralNumber() && "event_id".equals(field)) {
      return value.asText();
    }
    errors.add(new FieldError(prefix + field, "expected a string"));
    return null;
  }
}
