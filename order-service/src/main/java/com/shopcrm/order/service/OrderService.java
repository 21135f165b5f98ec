package com.shopcrm.order.service;

import com.shopcrm.common.problem.Violations;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.order.model.OrderFilter;
import com.shopcrm.order.model.OrderItemView;
import com.shopcrm.order.model.OrderStatus;
import com.shopcrm.order.model.OrderView;
import com.shopcrm.order.model.RefundInput;
import com.shopcrm.order.model.RefundView;
import com.shopcrm.order.model.ReviewInput;
import com.shopcrm.order.model.ReviewView;
import com.shopcrm.order.repository.OrderEventRepository;
import com.shopcrm.order.repository.OrderRepository;
import com.shopcrm.order.repository.OrderRepository.Stored;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Use cases on stored orders: read, list, status changes, refunds and returns, reviews. Every
 * change locks the order row ({@code FOR UPDATE}) and writes its outbox event on the same transaction. Calls taking a {@link SqlClient} run in the caller's
 * transaction (the one {@code IdempotentWrites} opens).
 */
@ApplicationScoped
public class OrderService {

  /** How long after the first review the one follow-up review may be written. */
  public static final Duration FOLLOW_UP_WINDOW = Duration.ofDays(30);

  private final Pool pool;
  private final OrderRepository orders;
  private final OrderEventRepository events;
  private final ObjectMapper mapper;
  private final Clock clock;

  OrderService(Pool pool, OrderRepository orders, OrderEventRepository events, ObjectMapper mapper, Clock clock) {
    this.pool = pool;
    this.orders = orders;
    this.events = events;
    this.mapper = mapper;
    this.clock = clock;
  }

  /** A refund and the order after it. */
  public record RefundResult(RefundView refund, OrderView order) {
  }

  /** The order with its items, refunds and reviews; 404 when the tenant has no such order. */
  public Uni<OrderView> get(TenantContext tenant, long id) {
    return orders.find(pool, tenant.tenantId(), id).flatMap(stored -> {
      if (stored == null) {
        throw ProblemException.notFound("order", id);
      }
      return orders.refunds(pool, tenant.tenantId(), id)
          .flatMap(refunds -> orders.reviews(pool, tenant.tenantId(), id)
              .map(reviews -> stored.view().withDetails(refunds, reviews)));
    });
  }

  public Uni<Page<OrderView>> list(TenantContext tenant, OrderFilter filter, PageRequest page) {
    return orders.list(pool, tenant.tenantId(), filter, page).map(rows -> Page.of(rows, page, OrderView::id));
  }

  /** A validated lifecycle step; the same status again is a no-op. */
  public Uni<OrderView> changeStatus(TenantContext tenant, long id, OrderStatus next) {
    OffsetDateTime now = now();
    return pool.withTransaction(tx -> locked(tx, tenant, id).flatMap(stored -> {
      OrderStatus current = OrderStatus.fromWire(stored.view().status());
      if (current == next) {
        return Uni.createFrom().item(stored.view());
      }
      if (next == OrderStatus.REFUNDED || next == OrderStatus.PARTIALLY_REFUNDED) {
        throw new ProblemException(Problem.of(409, "Invalid status transition", "Order " + id + " cannot go from "
            + current.wire() + " to " + next.wire() + " directly: refunded states come from POST /api/v1/orders/"
            + id + "/refunds"));
      }
      if (current == null || !current.canChangeTo(next)) {
        throw new ProblemException(Problem.of(409, "Invalid status transition", "Order " + id + " cannot go from "
            + stored.view().status() + " to " + next.wire()));
      }
      return orders.updateStatus(tx, tenant.tenantId(), id, next.wire(), next == OrderStatus.PAID ? now : null, now)
          .flatMap(ignored -> orders.find(tx, tenant.tenantId(), id))
          .flatMap(after -> next.eventType() == null
              ? Uni.createFrom().item(after.view())
              : events.append(tx, tenant.tenantId(), next.eventType(), after.view(), now).replaceWith(after.view()));
    }));
  }

  /** A refund or return; all of an order's refunds together never exceed what was paid. */
  public Uni<RefundResult> refund(SqlClient tx, TenantContext tenant, long id, RefundInput in) {
    OffsetDateTime now = now();
    return locked(tx, tenant, id).flatMap(stored -> {
      OrderView order = stored.view();
      OrderStatus status = OrderStatus.fromWire(order.status());
      if (!OrderStatus.REFUNDABLE.contains(status)) {
        throw new ProblemException(Problem.of(409, "Order not refundable",
            "Order " + id + " is " + order.status() + "; only paid, shipped, completed or partially refunded orders "
                + "can be refunded"));
      }
      BigDecimal amount = OrderFingerprint.scaled(in.amount());
      BigDecimal refunded = order.refundedAmount().add(amount);
      if (refunded.compareTo(order.totalAmount()) > 0) {
        throw new ProblemException(Problem.of(409, "Refund exceeds amount paid",
            "Order " + id + " was paid " + order.totalAmount().toPlainString() + " and "
                + order.refundedAmount().toPlainString() + " is already refunded; at most "
                + order.totalAmount().subtract(order.refundedAmount()).toPlainString() + " can still be refunded"));
      }
      checkItems(order, in);
      OrderStatus next = refunded.compareTo(order.totalAmount()) == 0
          ? OrderStatus.REFUNDED : OrderStatus.PARTIALLY_REFUNDED;
      return orders.insertRefund(tx, tenant.tenantId(), id, in.type().wire(), amount, in.reason().trim(),
              in.items() == null ? null : json(in.items()), now)
          .flatMap(refund -> orders.updateRefunded(tx, tenant.tenantId(), id, refunded, next.wire(), now)
              .flatMap(ignored -> orders.find(tx, tenant.tenantId(), id))
              .flatMap(after -> events.append(tx, tenant.tenantId(), "order.refunded", after.view(), now)
                  .replaceWith(new RefundResult(refund, after.view()))));
    });
  }

  /** A review: one first review, then one follow-up within 30 days of it; nothing more. */
  public Uni<ReviewView> review(SqlClient tx, TenantContext tenant, long id, ReviewInput in) {
    OffsetDateTime now = now();
    return locked(tx, tenant, id).flatMap(stored -> {
      String status = stored.view().status();
      if (status.equals(OrderStatus.CREATED.wire()) || status.equals(OrderStatus.CANCELLED.wire())) {
        throw new ProblemException(Problem.of(409, "Order not reviewable",
            "Order " + id + " is " + status + "; only paid orders can be reviewed"));
      }
      return orders.reviews(tx, tenant.tenantId(), id).flatMap(existing -> {
        ReviewView first = existing.stream().filter(r -> !r.followUp()).findFirst().orElse(null);
        boolean hasFollowUp = existing.stream().anyMatch(ReviewView::followUp);
        if (!in.isFollowUp() && first != null) {
          throw new ProblemException(Problem.of(409, "Already reviewed", "Order " + id + " already has its review; "
              + "one follow-up review (follow_up: true) is allowed within 30 days of it"));
        }
        if (in.isFollowUp()) {
          if (first == null) {
            throw new ProblemException(Problem.of(409, "No review to follow up",
                "Order " + id + " has no review yet; write the first review before a follow-up"));
          }
          if (hasFollowUp) {
            throw new ProblemException(Problem.of(409, "Already reviewed",
                "Order " + id + " already has its review and its follow-up review"));
          }
          OffsetDateTime closes = first.createdAt().plus(FOLLOW_UP_WINDOW);
          if (now.isAfter(closes)) {
            throw new ProblemException(Problem.of(409, "Follow-up window closed", "The follow-up review of order "
                + id + " was possible until " + closes.withOffsetSameInstant(ZoneOffset.UTC)));
          }
        }
        return orders.insertReview(tx, tenant.tenantId(), id, in.rating(), in.text(), in.isFollowUp(), now);
      });
    });
  }

  // ---------------------------------------------------------------- helpers

  private Uni<Stored> locked(SqlClient tx, TenantContext tenant, long id) {
    return orders.lock(tx, tenant.tenantId(), id).map(stored -> {
      if (stored == null) {
        throw ProblemException.notFound("order", id);
      }
      return stored;
    });
  }

  /** Returned lines must be lines of the order, and no more of them than were bought. */
  private static void checkItems(OrderView order, RefundInput in) {
    if (in.items() == null) {
      return;
    }
    List<Problem.FieldError> errors = new ArrayList<>();
    Set<String> skus = order.items().stream().map(OrderItemView::sku).collect(Collectors.toSet());
    for (int i = 0; i < in.items().size(); i++) {
      RefundInput.Item item = in.items().get(i);
      if (!skus.contains(item.sku())) {
        errors.add(new Problem.FieldError("items[" + i + "].sku", "is not a line of order " + order.id()));
      } else {
        int bought = order.items().stream().filter(l -> l.sku().equals(item.sku()))
            .mapToInt(OrderItemView::quantity).sum();
        if (item.quantity() > bought) {
          errors.add(new Problem.FieldError("items[" + i + "].quantity", "more than the " + bought + " bought"));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw Violations.problem(errors);
    }
  }

  private String json(Object value) {
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
