package com.shopcrm.order.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.order.client.Buyer;
import com.shopcrm.order.client.BuyerResolution;
import com.shopcrm.order.client.CustomerDirectory;
import com.shopcrm.order.model.BatchItemResult;
import com.shopcrm.order.model.OrderInput;
import com.shopcrm.order.model.OrderStatus;
import com.shopcrm.order.model.OrderView;
import com.shopcrm.common.problem.Violations;
import com.shopcrm.order.repository.OrderEventRepository;
import com.shopcrm.order.repository.OrderRepository;
import com.shopcrm.order.repository.OrderRepository.NewOrder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Taking orders in, one or a batch: the buyers are resolved in customer-service with ONE bulk call
 * before the transaction (no HTTP call is held inside a database transaction), then each order,
 * its lines and its {@code order.created} event are written in one transaction. An order number
 * seen before is a replay when the content is the same, a conflict when it is not.
 */
@ApplicationScoped
public class OrderIntake {

  public static final int MAX_BATCH = 1000;

  private final Pool pool;
  private final OrderRepository orders;
  private final OrderEventRepository events;
  private final CustomerDirectory customers;
  private final ObjectMapper mapper;
  private final Validator validator;
  private final Clock clock;

  OrderIntake(Pool pool, OrderRepository orders, OrderEventRepository events, CustomerDirectory customers,
      ObjectMapper mapper, Validator validator, Clock clock) {
    this.pool = pool;
    this.orders = orders;
    this.events = events;
    this.customers = customers;
    this.mapper = mapper;
    this.validator = validator;
    this.clock = clock;
  }

  /** The outcome of storing one order. */
  public sealed interface Outcome permits Created, Existing, Conflict {
  }

  public record Created(OrderView view) implements Outcome {
  }

  public record Existing(OrderView view) implements Outcome {
  }

  public record Conflict(String detail) implements Outcome {
  }

  /** Who calls: the {@code Authorization} value to forward to customer-service, and the request id. */
  public record Caller(String authorization, String requestId) {
  }

  /** Rejects what bean validation cannot express; a 400 naming the fields. */
  public static void check(OrderInput in) {
    List<Problem.FieldError> errors = checks(in);
    if (!errors.isEmpty()) {
      throw Violations.problem(errors);
    }
  }

  private static List<Problem.FieldError> checks(OrderInput in) {
    List<Problem.FieldError> errors = new ArrayList<>();
    if (!OrderStatus.INITIAL.contains(in.statusOrDefault())) {
      errors.add(new Problem.FieldError("status", "an order is created as created, paid, shipped, completed or "
          + "cancelled; refunded states come from refunds"));
    }
    if (in.paidAt() != null && in.orderedAt() != null && in.paidAt().isBefore(in.orderedAt())) {
      errors.add(new Problem.FieldError("paid_at", "must not be before ordered_at"));
    }
    return errors;
  }

  /** Asks customer-service for the buyers of those orders whose number the tenant does not have yet. */
  public Uni<BuyerResolution> resolveBuyers(TenantContext tenant, Caller caller, List<OrderInput> inputs) {
    if (inputs.isEmpty()) {
      return Uni.createFrom().item(BuyerResolution.NONE_NEEDED);
    }
    String[] numbers = inputs.stream().map(OrderInput::orderNo).toArray(String[]::new);
    return orders.existingOrderNos(pool, tenant.tenantId(), numbers).flatMap(existing -> {
      Set<String> known = new HashSet<>(existing);
      Map<String, Buyer> buyers = new LinkedHashMap<>();
      for (OrderInput in : inputs) {
        if (known.contains(in.orderNo())) {
          continue;
        }
        Buyer buyer = buyer(in);
        buyers.merge(buyer.key(), buyer, OrderIntake::fill);
      }
      return customers.resolve(caller.authorization(), caller.requestId(), List.copyOf(buyers.values()));
    });
  }

  /** Stores one order on the caller's transaction. */
  public Uni<Outcome> store(SqlClient tx, TenantContext tenant, OrderInput in, BuyerResolution buyers) {
    OffsetDateTime now = now();
    String hash = OrderFingerprint.of(mapper, in);
    String key = buyer(in).key();
    Long customerId = buyers.ids().get(key);
    String customerError = buyers.errors().get(key);
    boolean pending = customerId == null && customerError == null;
    OrderStatus status = in.statusOrDefault();
    NewOrder row = new NewOrder(in.orderNo(), in.customerExternalId(), in.platformOrDefault().wire(), customerId,
        pending, customerError, in.customerName(), in.customerPhone(), in.customerEmail(), in.province(), in.city(),
        in.orderedAt(), in.paidAt(), OrderFingerprint.scaled(in.totalAmount()),
        OrderFingerprint.scaled(in.discountAmount()), OrderFingerprint.scaled(in.shippingFee()), status.wire(),
        in.couponCode(), in.channel(), hash);
    return orders.insert(tx, tenant.tenantId(), row, now).flatMap(id -> {
      if (id == null) {
        return orders.findByOrderNo(tx, tenant.tenantId(), in.orderNo()).map(stored -> hash.equals(stored.contentHash())
            ? new Existing(stored.view())
            : new Conflict("Order " + in.orderNo() + " already exists with different content (id "
                + stored.view().id() + "); an order number is unique per shop"));
      }
      return orders.insertItems(tx, tenant.tenantId(), id, in.itemList())
          .flatMap(ignored -> orders.find(tx, tenant.tenantId(), id))
          .flatMap(stored -> events.append(tx, tenant.tenantId(), "order.created", stored.view(), now)
              .map(ignored -> (Outcome) new Created(stored.view())));
    });
  }

  /** One order: 201 created, 200 replayed (same content), 409 conflict (other content). */
  public Uni<Outcome> storeOne(SqlClient tx, TenantContext tenant, OrderInput in, BuyerResolution buyers) {
    return store(tx, tenant, in, buyers).map(outcome -> {
      if (outcome instanceof Conflict c) {
        throw new ProblemException(Problem.of(409, "Order number taken", c.detail()));
      }
      return outcome;
    });
  }

  // ---------------------------------------------------------------- batch

  /** A batch item that read and validated cleanly, with its position in the request. */
  public record Valid(int index, OrderInput input) {
  }

  /** Items read one by one so a bad item fails alone: the valid ones, and the results so far. */
  public record Parsed(List<Valid> valid, BatchItemResult[] results) {
  }

  public Parsed parse(List<JsonNode> items) {
    BatchItemResult[] results = new BatchItemResult[items.size()];
    List<Valid> valid = new ArrayList<>();
    Map<String, Integer> firstByNo = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode node = items.get(i);
      String orderNo = node != null && node.path("order_no").isTextual() ? node.get("order_no").asText() : null;
      if (node == null || !node.isObject()) {
        results[i] = BatchItemResult.error(i, null, "must be a JSON object");
        continue;
      }
      OrderInput input;
      try {
        input = mapper.treeToValue(node, OrderInput.class);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        Problem.FieldError error = Violations.readError(e);
        results[i] = BatchItemResult.error(i, orderNo, error.field() + ": " + error.message());
        continue;
      }
      List<Problem.FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(input)));
      if (errors.isEmpty()) {
        errors.addAll(checks(input));
      }
      if (!errors.isEmpty()) {
        results[i] = BatchItemResult.error(i, orderNo, Violations.describe(errors));
        continue;
      }
      Integer first = firstByNo.putIfAbsent(input.orderNo(), i);
      if (first != null) {
        results[i] = BatchItemResult.error(i, orderNo, "order_no: same order_no as item " + first);
        continue;
      }
      valid.add(new Valid(i, input));
    }
    return new Parsed(valid, results);
  }

  /** Stores the valid items of a batch on the caller's transaction, in request order. */
  public Uni<BatchItemResult.Results> storeAll(SqlClient tx, TenantContext tenant, Parsed parsed,
      BuyerResolution buyers) {
    BatchItemResult[] results = parsed.results();
    return Multi.createFrom().iterable(parsed.valid())
        .onItem().transformToUniAndConcatenate(v -> store(tx, tenant, v.input(), buyers).invoke(outcome -> {
          String no = v.input().orderNo();
          if (outcome instanceof Created c) {
            results[v.index()] = new BatchItemResult(v.index(), c.view().id(), no, BatchItemResult.Status.CREATED,
                c.view().customerPending(), null);
          } else if (outcome instanceof Existing e) {
            results[v.index()] = new BatchItemResult(v.index(), e.view().id(), no, BatchItemResult.Status.EXISTING,
                e.view().customerPending(), null);
          } else {
            results[v.index()] = BatchItemResult.error(v.index(), no, "order_no: " + ((Conflict) outcome).detail());
          }
        }))
        .collect().last()
        .map(ignored -> new BatchItemResult.Results(List.of(results)));
  }

  // ---------------------------------------------------------------- helpers

  private static Buyer buyer(OrderInput in) {
    return new Buyer(in.platformOrDefault().wire(), in.customerExternalId(), in.customerName(), in.customerPhone(),
        in.customerEmail(), in.province(), in.city());
  }

  /** Two orders of one buyer: what the first leaves empty, the second fills. */
  private static Buyer fill(Buyer a, Buyer b) {
    return new Buyer(a.platform(), a.externalId(), a.name() != null ? a.name() : b.name(),
        a.phone() != null ? a.phone() : b.phone(), a.email() != null ? a.email() : b.email(),
        a.province() != null ? a.province() : b.province(), a.city() != null ? a.city() : b.city());
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
