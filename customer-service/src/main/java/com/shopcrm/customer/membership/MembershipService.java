package com.shopcrm.customer.membership;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.customer.membership.MembershipModels.AdjustInput;
import com.shopcrm.customer.membership.MembershipModels.Benefits;
import com.shopcrm.customer.membership.MembershipModels.EntryKind;
import com.shopcrm.customer.membership.MembershipModels.LedgerEntry;
import com.shopcrm.customer.membership.MembershipModels.MaintenanceResult;
import com.shopcrm.customer.membership.MembershipModels.MembershipView;
import com.shopcrm.customer.membership.MembershipModels.OrderEvent;
import com.shopcrm.customer.membership.MembershipModels.OrderEventResult;
import com.shopcrm.customer.membership.MembershipModels.PointsChange;
import com.shopcrm.customer.membership.MembershipModels.RedeemInput;
import com.shopcrm.customer.membership.MembershipModels.TierChange;
import com.shopcrm.customer.membership.MembershipRepository.Member;
import com.shopcrm.customer.membership.MembershipRepository.Spend;
import com.shopcrm.customer.service.CustomerService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Membership tiers and the points ledger (docs/CUSTOMER_CARE.md). Every change of a customer's
 * points runs in one transaction that first locks the customer's {@code membership} row, so the
 * balance (the sum of the ledger, cached on that row) is checked and changed by one writer at a
 * time and can never go below zero.
 */
@ApplicationScoped
public class MembershipService {

  public static final String CREATED = "order.created";
  public static final String COMPLETED = "order.completed";
  public static final String REFUNDED = "order.refunded";

  private final Pool pool;
  private final MembershipRepository repo;
  private final CustomerService customers;
  private final ObjectMapper mapper;
  private final Clock clock;

  MembershipService(Pool pool, MembershipRepository repo, CustomerService customers, ObjectMapper mapper,
      Clock clock) {
    this.pool = pool;
    this.repo = repo;
    this.customers = customers;
    this.mapper = mapper;
    this.clock = clock;
  }

  // ---------------------------------------------------------------- programme

  public Uni<MembershipProgram> program(TenantContext tenant) {
    return repo.program(pool, tenant.tenantId());
  }

  public Uni<MembershipProgram> saveProgram(TenantContext tenant, MembershipProgram program) {
    program.checked();
    OffsetDateTime now = now();
    String[] codes = program.tiers().stream().map(MembershipProgram.Tier::code).toArray(String[]::new);
    return pool.withTransaction(tx -> repo.saveProgram(tx, tenant.tenantId(), program, now)
        .flatMap(ignored -> repo.remapRemovedTiers(tx, tenant.tenantId(), codes, program.lowest().code(), now))
        .replaceWith(program));
  }

  // ---------------------------------------------------------------- reads

  public Uni<MembershipView> membership(TenantContext tenant, long customerId) {
    OffsetDateTime now = now();
    String tid = tenant.tenantId();
    return customers.get(tenant, customerId)
        .flatMap(ignored -> repo.program(pool, tid))
        .flatMap(program -> repo.find(pool, tid, customerId)
            .flatMap(member -> repo.rollingSpend(pool, tid, customerId, now, program.periodDays())
                .map(spend -> view(program, customerId, member, spend))));
  }

  public Uni<Page<LedgerEntry>> ledger(TenantContext tenant, long customerId, EntryKind kind, PageRequest page) {
    return customers.get(tenant, customerId)
        .flatMap(ignored -> repo.ledger(pool, tenant.tenantId(), customerId, kind, page))
        .map(rows -> Page.of(rows, page, LedgerEntry::id));
  }

  public Uni<Page<TierChange>> tierHistory(TenantContext tenant, long customerId, PageRequest page) {
    return customers.get(tenant, customerId)
        .flatMap(ignored -> repo.tierHistory(pool, tenant.tenantId(), customerId, page))
        .map(rows -> Page.of(rows, page, TierChange::id));
  }

  // ---------------------------------------------------------------- redeem and adjust

  /** Takes points; 409 when the balance is short. Runs in the caller's (idempotent) transaction. */
  public Uni<PointsChange> redeem(SqlClient tx, TenantContext tenant, long customerId, RedeemInput in, String key) {
    return change(tx, tenant, customerId, EntryKind.REDEEM, -in.points(),
        in.reason() == null ? "redeemed" : in.reason(), in.source(), key);
  }

  /** Adds or (negative) takes points, admin only; never below 0 (409). */
  public Uni<PointsChange> adjust(SqlClient tx, TenantContext tenant, long customerId, AdjustInput in, String key) {
    if (in.points() == 0) {
      throw ProblemException.invalid("points", "must not be 0");
    }
    return change(tx, tenant, customerId, EntryKind.ADJUST, in.points(), in.reason().trim(), null, key);
  }

  private Uni<PointsChange> change(SqlClient tx, TenantContext tenant, long customerId, EntryKind kind, long points,
      String reason, String source, String key) {
    OffsetDateTime now = now();
    String tid = tenant.tenantId();
    return customers.requireLive(tx, tenant, customerId, false)
        .flatMap(ignored -> repo.program(tx, tid))
        .flatMap(program -> repo.lock(tx, tid, customerId, program.lowest().code(), now))
        .flatMap(member -> {
          if (member.balance() + points < 0) {
            throw new ProblemException(Problem.of(409, "Insufficient points",
                "The balance is " + member.balance() + " points; " + (-points) + " cannot be taken."));
          }
          return repo.append(tx, tid, customerId, kind, points, reason, source, key == null ? null : "api:" + key,
                  now, null, now)
              .flatMap(id -> repo.addBalance(tx, tid, customerId, points, now)
                  .map(ignored -> new PointsChange(id, customerId, kind, points, reason, source,
                      member.balance() + points, now)));
        });
  }

  // ---------------------------------------------------------------- order events

  /**
   * Consumes one order event, at most once per event id: a redelivery answers the first result
   * with {@code duplicate: true} and writes nothing.
   */
  public Uni<OrderEventResult> consume(TenantContext tenant, OrderEvent event) {
    return pool.withTransaction(tx -> consume(tx, tenant.tenantId(), event));
  }

  /**
   * Events of one tenant in their order, in ONE transaction: a batch costs one commit instead of one
   * per event (order-service delivers imports' events in batches). Any event failing (its customer
   * unknown, say) fails the whole batch, which order-service then resends one event per call.
   */
  public Uni<List<OrderEventResult>> consumeAll(TenantContext tenant, List<OrderEvent> events) {
    return pool.withTransaction(tx -> Multi.createFrom().iterable(events)
        .onItem().transformToUniAndConcatenate(event -> consume(tx, tenant.tenantId(), event))
        .collect().asList());
  }

  private Uni<OrderEventResult> consume(SqlClient tx, String tid, OrderEvent event) {
    // An order that arrives with its final status (an import, an order created completed) has only
    // its order.created event: that event then acts as the completion and, for an order that
    // arrives refunded, as the completion followed by the refund.
    String arrivedAs = CREATED.equals(event.type()) && event.payload() != null
        ? event.payload().path("status").asText("") : "";
    boolean arrivedCompleted = List.of("completed", "partially_refunded", "refunded").contains(arrivedAs);
    boolean arrivedRefunded = !arrivedAs.equals("completed") && arrivedCompleted;
    BigDecimal amount = switch (event.type()) {
      case COMPLETED -> money(event.payload(), "total_amount");
      case REFUNDED -> money(event.payload(), "refunded_amount");
      default -> arrivedCompleted ? money(event.payload(), "total_amount") : null;
    };
    BigDecimal arrivedRefund = arrivedRefunded ? money(event.payload(), "refunded_amount") : null;
    OffsetDateTime now = now();
    return repo.claimEvent(tx, tid, event, now).flatMap(claimed -> {
      if (!claimed) {
        return repo.eventResult(tx, tid, event.eventId()).map(json -> read(json).asDuplicate());
      }
      Uni<OrderEventResult> result = switch (event.type()) {
        case COMPLETED -> completed(tx, tid, event, amount, now);
        case REFUNDED -> refunded(tx, tid, event, amount, now);
        default -> !arrivedCompleted
            ? Uni.createFrom().item(new OrderEventResult(event.eventId(), "ignored", event.customerId(), 0,
                null, null, false))
            : arrivedRefunded
                ? completed(tx, tid, event, amount, now).flatMap(earned -> refunded(tx, tid,
                    // its own ledger key: the earn entry already holds this event's
                    new OrderEvent(event.eventId() + ":refund", event.type(), event.customerId(), event.orderNo(),
                        event.occurredAt(), event.payload()), arrivedRefund, now))
                : completed(tx, tid, event, amount, now);
      };
      return result.flatMap(r -> repo.storeEventResult(tx, tid, event.eventId(), json(r)).replaceWith(r));
    });
  }

  private Uni<OrderEventResult> completed(SqlClient tx, String tid, OrderEvent e, BigDecimal amount,
      OffsetDateTime now) {
    return repo.resolveCustomer(tx, tid, e.customerId()).flatMap(ref -> {
      if (ref.id() == null) {
        throw ProblemException.notFound("customer", e.customerId());
      }
      long cid = ref.id();
      return repo.program(tx, tid).flatMap(program -> repo.spend(tx, tid, e.orderNo()).flatMap(existing -> {
        if (existing != null) {
          return Uni.createFrom().item(new OrderEventResult(e.eventId(), "already_recorded", existing.customerId(),
              0, null, null, false));
        }
        return repo.lock(tx, tid, cid, program.lowest().code(), now).flatMap(member -> {
          boolean first = member.ordersCompleted() == 0;
          boolean birthday = PointsRules.birthdayMonth(ref.birthday(), e.occurredAt());
          MembershipProgram.Tier tier = program.tier(member.tier());
          long points = PointsRules.earned(amount, tier.pointsMultiplier(), birthday, program.birthdayMultiplier(),
              first, program.firstOrderBonus());
          String reason = "order completed: " + amount.toPlainString() + " CNY x " + tier.pointsMultiplier()
              + (birthday ? " x " + program.birthdayMultiplier() + " (birthday month)" : "")
              + (first && program.firstOrderBonus() > 0 ? " + " + program.firstOrderBonus() + " first order" : "");
          Uni<Void> earn = points == 0 ? Uni.createFrom().voidItem()
              : repo.append(tx, tid, cid, EntryKind.EARN, points, reason, e.orderNo(), "order-event:" + e.eventId(),
                      e.occurredAt(), PointsRules.expiresAt(e.occurredAt()), now)
                  .flatMap(id -> repo.addBalance(tx, tid, cid, points, now));
          return repo.insertSpend(tx, tid, cid, e.orderNo(), amount, points, e.occurredAt())
              .flatMap(ignored -> repo.recordOrder(tx, tid, cid, amount, now))
              .flatMap(ignored -> earn)
              .flatMap(ignored -> repo.rollingSpend(tx, tid, cid, e.occurredAt(), program.periodDays()))
              .flatMap(spend -> {
                int current = program.rank(member.tier());
                int qualifying = program.qualifyingRank(spend);
                String to = program.tiers().get(Math.max(current, qualifying)).code();
                Uni<Void> move = qualifying > current
                    ? repo.changeTier(tx, tid, cid, member.tier(), to, "upgrade", spend, now)
                    : member.belowThresholdSince() != null && qualifying >= current
                        ? repo.setBelowThresholdSince(tx, tid, cid, null, now)
                        : Uni.createFrom().voidItem();
                return move.map(ignored -> new OrderEventResult(e.eventId(), "earned", cid, points, to,
                    member.balance() + points, false));
              });
        });
      }));
    });
  }

  private Uni<OrderEventResult> refunded(SqlClient tx, String tid, OrderEvent e, BigDecimal refundedTotal,
      OffsetDateTime now) {
    return repo.spend(tx, tid, e.orderNo()).flatMap(spend -> {
      if (spend == null) {
        return Uni.createFrom().item(new OrderEventResult(e.eventId(), "ignored_unknown_order", e.customerId(), 0,
            null, null, false));
      }
      BigDecimal refunded = refundedTotal.min(spend.amount());
      if (refunded.compareTo(spend.refunded()) <= 0) {
        return Uni.createFrom().item(new OrderEventResult(e.eventId(), "no_change", spend.customerId(), 0, null,
            null, false));
      }
      long cid = spend.customerId();
      long target = PointsRules.reversedTotal(spend.pointsEarned(), spend.amount(), refunded);
      long owed = target - spend.pointsReversed();
      return repo.program(tx, tid)
          .flatMap(program -> repo.lock(tx, tid, cid, program.lowest().code(), now))
          .flatMap(member -> {
            long taken = Math.min(owed, member.balance());
            String reason = "order refunded: " + refunded.toPlainString() + " of " + spend.amount().toPlainString()
                + " CNY" + (taken < owed ? "; " + (owed - taken) + " points already spent" : "");
            Uni<Void> reverse = taken <= 0 ? Uni.createFrom().voidItem()
                : repo.append(tx, tid, cid, EntryKind.REVERSE, -taken, reason, e.orderNo(),
                        "order-event:" + e.eventId(), e.occurredAt(), null, now)
                    .flatMap(id -> repo.addBalance(tx, tid, cid, -taken, now));
            return repo.updateRefund(tx, tid, e.orderNo(), refunded, target)
                .flatMap(ignored -> repo.refundSpend(tx, tid, cid, refunded.subtract(spend.refunded()), now))
                .flatMap(ignored -> reverse)
                .map(ignored -> new OrderEventResult(e.eventId(), "reversed", cid, -taken, member.tier(),
                    member.balance() - taken, false));
          });
    });
  }

  // ---------------------------------------------------------------- maintenance

  /** Expires points (FIFO) and re-evaluates tiers down after the grace period, as of {@code asOf}. */
  public Uni<MaintenanceResult> maintain(String tenantId, OffsetDateTime asOf) {
    OffsetDateTime at = asOf == null ? now() : asOf.withOffsetSameInstant(ZoneOffset.UTC);
    MaintenanceResult zero = new MaintenanceResult(at, 0, 0, 0, 0, 0);
    return repo.program(pool, tenantId).flatMap(program -> expire(tenantId, program, at, zero)
        .flatMap(expired -> reevaluate(tenantId, program, at, expired)));
  }

  /** Every tenant with members, one after the other (the scheduled job). */
  public Uni<Integer> maintainAll() {
    OffsetDateTime at = now();
    return repo.tenantsWithMembers(pool).flatMap(tenants -> Multi.createFrom().iterable(tenants)
        .onItem().transformToUniAndConcatenate(t -> maintain(t, at))
        .collect().asList().map(List::size));
  }

  private Uni<MaintenanceResult> expire(String tid, MembershipProgram program, OffsetDateTime at,
      MaintenanceResult zero) {
    OffsetDateTime now = now();
    return repo.expiriesDue(pool, tid, at).flatMap(due -> Multi.createFrom().iterable(due)
        .onItem().transformToUniAndConcatenate(d -> pool.withTransaction(tx ->
            repo.lock(tx, tid, d.customerId(), program.lowest().code(), now).flatMap(member ->
                repo.expirySums(tx, tid, d.customerId(), d.cutoff()).flatMap(sums -> {
                  long n = PointsRules.expiring(sums[0], sums[1], sums[2], member.balance());
                  if (n == 0) {
                    return Uni.createFrom().item(zero);
                  }
                  String reason = "points earned in " + d.cutoff().atZoneSameInstant(PointsRules.SHOP_ZONE)
                      .minusYears(2).getYear() + " expired";
                  return repo.append(tx, tid, d.customerId(), EntryKind.EXPIRE, -n, reason, null,
                          "expire:" + d.customerId() + ":" + d.cutoff().toInstant(), d.cutoff(), d.cutoff(), now)
                      .flatMap(id -> repo.addBalance(tx, tid, d.customerId(), -n, now))
                      .map(ignored -> new MaintenanceResult(at, 1, n, 0, 0, 0));
                }))))
        .collect().in(() -> new MaintenanceResult[] {zero}, (acc, r) -> acc[0] = acc[0].plus(r))
        .map(acc -> acc[0]));
  }

  private Uni<MaintenanceResult> reevaluate(String tid, MembershipProgram program, OffsetDateTime at,
      MaintenanceResult sofar) {
    OffsetDateTime now = now();
    MaintenanceResult zero = new MaintenanceResult(at, 0, 0, 0, 0, 0);
    return repo.tierChecks(pool, tid, program.lowest().code(), at, program.periodDays())
        .flatMap(checks -> Multi.createFrom().iterable(checks)
            .onItem().transformToUniAndConcatenate(check -> pool.withTransaction(tx ->
                repo.lock(tx, tid, check.customerId(), program.lowest().code(), now).flatMap(member ->
                    repo.rollingSpend(tx, tid, check.customerId(), at, program.periodDays()).flatMap(spend -> {
                      int current = program.rank(member.tier());
                      int qualifying = program.qualifyingRank(spend);
                      OffsetDateTime below = member.belowThresholdSince();
                      if (qualifying >= current) {
                        return below == null ? Uni.createFrom().item(zero)
                            : repo.setBelowThresholdSince(tx, tid, check.customerId(), null, now)
                                .replaceWith(new MaintenanceResult(at, 0, 0, 0, 0, 1));
                      }
                      OffsetDateTime since = below == null ? at : below;
                      if (!at.isBefore(since.plusDays(program.graceDays()))) {
                        return repo.changeTier(tx, tid, check.customerId(), member.tier(),
                                program.tiers().get(qualifying).code(), "downgrade", spend, at)
                            .replaceWith(new MaintenanceResult(at, 0, 0, 1, 0, 0));
                      }
                      return below != null ? Uni.createFrom().item(zero)
                          : repo.setBelowThresholdSince(tx, tid, check.customerId(), at, now)
                              .replaceWith(new MaintenanceResult(at, 0, 0, 0, 1, 0));
                    }))))
            .collect().in(() -> new MaintenanceResult[] {sofar}, (acc, r) -> acc[0] = acc[0].plus(r))
            .map(acc -> acc[0]));
  }

  // ---------------------------------------------------------------- helpers

  private MembershipView view(MembershipProgram program, long customerId, Member member, BigDecimal spend) {
    int rank = member == null ? 0 : program.rank(member.tier());
    MembershipProgram.Tier tier = program.tiers().get(rank);
    MembershipProgram.Tier next = rank + 1 < program.tiers().size() ? program.tiers().get(rank + 1) : null;
    OffsetDateTime below = member == null ? null : member.belowThresholdSince();
    return new MembershipView(customerId, tier.code(), tier.name(), member == null ? 0 : member.balance(), spend,
        program.periodDays(), new Benefits(tier.pointsMultiplier(), tier.birthdayCoupon(), tier.freeShipping()),
        next == null ? null : next.code(),
        next == null ? null : next.minSpend().subtract(spend).max(BigDecimal.ZERO),
        member == null ? BigDecimal.ZERO : member.lifetimeSpend(),
        member == null ? 0 : member.ordersCompleted(),
        member == null ? null : member.tierSince(),
        below, below == null ? null : below.plusDays(program.graceDays()));
  }

  private static BigDecimal money(JsonNode payload, String field) {
    JsonNode value = payload == null ? null : payload.get(field);
    if (value == null || !value.isNumber() || value.decimalValue().signum() < 0) {
      throw ProblemException.invalid("payload." + field, "required: a number >= 0");
    }
    if (value.decimalValue().compareTo(new BigDecimal("1000000000")) >= 0) {
      throw ProblemException.invalid("payload." + field, "too large");
    }
    return value.decimalValue().setScale(2, java.math.RoundingMode.HALF_UP);
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private OrderEventResult read(String json) {
    try {
      return mapper.readValue(json, OrderEventResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored event result is not JSON", e);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
