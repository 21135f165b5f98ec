package com.shopcrm.campaign.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.campaign.model.CampaignResults.OrderEventResult;
import com.shopcrm.campaign.repository.AttributionRepository;
import com.shopcrm.common.problem.Problem.FieldError;
import com.shopcrm.common.tenant.TenantContext;
import io.quarkus.logging.Log;
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
import java.util.List;
import java.util.Set;

/**
 * Consumes order-service's events ({@code {event_id, type, customer_id, order_no, occurred_at,
 * payload}}; unknown fields ignored): a paid or completed order of a kept recipient within a
 * campaign's attribution window is a conversion with its revenue ({@code payload.total_amount});
 * a {@code payload.coupon_code} of a campaign coupon is redeemed once, by its owner, in the
 * caller's tenant ({@link CouponRedemption}, the same rule as the coupon API) — anything else is
 * ignored and recorded on the event. Idempotent by event id; all in one transaction.
 */
@ApplicationScoped
public class AttributionService {

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

  public Uni<OrderEventResult> apply(TenantContext tenant, JsonNode body) {
    OrderEvent event = parse(body);
    String tenantId = tenant.tenantId();
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    return pool.withTransaction(tx -> repo.record(tx, tenantId, event.eventId(), event.type(), event.customerId(),
            event.orderNo(), event.occurredAt(), now)
        .flatMap(fresh -> {
          if (!fresh) {
            return Uni.createFrom().item(new OrderEventResult(event.eventId(), true, 0, null, 0));
          }
          if (REVERSING.contains(event.type()) && event.orderNo() != null) {
            return repo.reverse(tx, tenantId, event.orderNo(), event.net())
                .map(reversed -> new OrderEventResult(event.eventId(), false, 0, null, reversed));
          }
          if (!event.converts() || event.customerId() == null || event.orderNo() == null) {
            return Uni.createFrom().item(new OrderEventResult(event.eventId(), false, 0, null, 0));
          }
          return repo.convert(tx, tenantId, event.customerId(), event.orderNo(),
                  event.total() == null ? BigDecimal.ZERO : event.total(), event.occurredAt())
              .flatMap(conversions -> coupon(tx, tenantId, event)
                  .flatMap(outcome -> repo.outcome(tx, tenantId, event.eventId(), conversions, outcome)
                      .replaceWith(new OrderEventResult(event.eventId(), false, conversions, outcome, 0))));
        }))
        // a completed order may make a review request due at once; an order closes cart abandonments
        .call(result -> result.duplicate() || event.customerId() == null ? Uni.createFrom().voidItem()
            : triggers.evaluateFor(tenantId, new Long[] {event.customerId()}, TriggerEvaluator.ORDER_KINDS));
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

  /** The fields this consumer reads; anything else in the event is ignored. */
  static OrderEvent parse(JsonNode body) {
    List<FieldError> errors = new ArrayList<>();
    if (body == null || !body.isObject()) {
      throw CampaignService.invalid(List.of(new FieldError("body", "expected an order event object")));
    }
    String eventId = text(body, "event_id", true, errors);
    String type = text(body, "type", true, errors);
    Long customerId = null;
    JsonNode c = body.get("customer_id");
    if (c != null && !c.isNull()) {
      if (c.canConvertToLong() && c.isIntegralNumber()) {
        customerId = c.asLong();
      } else {
        errors.add(new FieldError("customer_id", "expected a whole number"));
      }
    }
    JsonNode payload = body.path("payload");
    String orderNo = text(body, "order_no", false, errors);
    if (orderNo == null && payload.isObject()) {
      orderNo = text(payload, "order_no", false, errors);
    }
    OffsetDateTime occurredAt = null;
    String when = text(body, "occurred_at", true, errors);
    if (when != null) {
      try {
        occurredAt = OffsetDateTime.parse(when);
      } catch (DateTimeParseException e) {
        errors.add(new FieldError("occurred_at", "expected an ISO-8601 instant"));
      }
    }
    BigDecimal total = null;
    BigDecimal refunded = null;
    String coupon = null;
    String status = null;
    if (payload.isObject()) {
      status = text(payload, "status", false, errors);
      JsonNode amount = payload.get("total_amount");
      if (amount != null && !amount.isNull()) {
        if (amount.isNumber() && (!amount.isFloatingPointNumber() || Double.isFinite(amount.doubleValue()))) {
          total = amount.decimalValue();
        } else if (amount.isNumber()) { // 1e400 reads as an infinite double, which has no decimal value
          errors.add(new FieldError("payload.total_amount", "expected a finite number"));
        } else {
          errors.add(new FieldError("payload.total_amount", "expected a number"));
        }
      }
      JsonNode back = payload.get("refunded_amount");
      if (back != null && !back.isNull()) {
        if (back.isNumber()) {
          refunded = back.decimalValue();
        } else {
          errors.add(new FieldError("payload.refunded_amount", "expected a number"));
        }
      }
      coupon = text(payload, "coupon_code", false, errors);
      if (coupon != null && coupon.isBlank()) {
        coupon = null;
      }
    }
    if (!errors.isEmpty()) {
      throw CampaignService.invalid(errors);
    }
    return new OrderEvent(eventId, type, customerId, orderNo, occurredAt, total, refunded, coupon, status);
  }

  private static String text(JsonNode node, String field, boolean required, List<FieldError> errors) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        errors.add(new FieldError(field, "required"));
      }
      return null;
    }
    if (value.isTextual() || value.isIntegralNumber() && "event_id".equals(field)) {
      return value.asText();
    }
    errors.add(new FieldError(field, "expected a string"));
    return null;
  }
}
