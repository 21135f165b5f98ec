package com.shopcrm.customer.membership;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.customer.membership.MembershipModels.EntryKind;
import com.shopcrm.customer.membership.MembershipModels.LedgerEntry;
import com.shopcrm.customer.membership.MembershipModels.TierChange;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Membership rows, the points ledger, spend per order and tier history, in plain SQL on the
 * reactive client like the rest of this service: every ledger write shares one transaction with
 * the lock on the customer's {@code membership} row and (for API calls) the Idempotency-Key claim.
 */
@ApplicationScoped
public class MembershipRepository {

  /** The stored membership of one customer. */
  public record Member(long customerId, String tier, long balance, BigDecimal lifetimeSpend, int ordersCompleted,
      OffsetDateTime tierSince, OffsetDateTime belowThresholdSince) {
  }

  /** Spend recorded for one order. */
  public record Spend(long customerId, BigDecimal amount, BigDecimal refunded, long pointsEarned,
      long pointsReversed) {
  }

  private static final TypeReference<List<MembershipProgram.Tier>> TIERS = new TypeReference<>() {
  };

  private final ObjectMapper mapper;

  MembershipRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  // ---------------------------------------------------------------- programme

  public Uni<MembershipProgram> program(SqlClient client, String tenantId) {
    return client.preparedQuery("""
            SELECT period_days, grace_days, first_order_bonus, birthday_multiplier, tiers::text AS tiers
              FROM membership_program WHERE tenant_id = $1""")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          if (rows.size() == 0) {
            return MembershipProgram.defaults();
          }
          Row r = rows.iterator().next();
          try {
            return new MembershipProgram(r.getInteger("period_days"), r.getInteger("grace_days"),
                r.getInteger("first_order_bonus"), r.getBigDecimal("birthday_multiplier"),
                mapper.readValue(r.getString("tiers"), TIERS));
          } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored tiers are not JSON", e);
          }
        });
  }

  public Uni<Void> saveProgram(SqlClient client, String tenantId, MembershipProgram p, OffsetDateTime now) {
    String tiers;
    try {
      tiers = mapper.writeValueAsString(p.tiers());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return client.preparedQuery("""
            INSERT INTO membership_program (tenant_id, period_days, grace_days, first_order_bonus, birthday_multiplier,
                tiers, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7)
            ON CONFLICT (tenant_id) DO UPDATE SET period_days = excluded.period_days, grace_days = excluded.grace_days,
                first_order_bonus = excluded.first_order_bonus, birthday_multiplier = excluded.birthday_multiplier,
                tiers = excluded.tiers, updated_at = excluded.updated_at""")
        .execute(Tuple.from(Arrays.asList(tenantId, p.periodDays(), p.graceDays(), p.firstOrderBonus(),
            p.birthdayMultiplier(), tiers, now)))
        .replaceWithVoid();
  }

  /** Members whose tier code no longer exists move to the lowest tier (history kept). */
  public Uni<Integer> remapRemovedTiers(SqlClient client, String tenantId, String[] codes, String lowest,
      OffsetDateTime now) {
    return client.preparedQuery("""
            WITH moved AS (
                UPDATE membership m SET tier = $3, tier_since = $4, below_threshold_since = NULL, updated_at = $4
                  FROM membership old
                 WHERE m.tenant_id = $1 AND m.tier <> ALL($2::text[])
                   AND old.tenant_id = m.tenant_id AND old.customer_id = m.customer_id
                RETURNING m.customer_id, old.tier AS from_tier)
            INSERT INTO membership_tier_change (tenant_id, customer_id, from_tier, to_tier, reason, rolling_spend, changed_at)
            SELECT $1, customer_id, from_tier, $3, 'tier_removed', 0, $4 FROM moved""")
        .execute(Tuple.of(tenantId, codes, lowest, now))
        .map(RowSet::rowCount);
  }

  // ---------------------------------------------------------------- membership rows

  public Uni<Member> find(SqlClient client, String tenantId, long customerId) {
    return client.preparedQuery("SELECT * FROM membership WHERE tenant_id = $1 AND customer_id = $2")
        .execute(Tuple.of(tenantId, customerId))
        .map(rows -> rows.size() == 0 ? null : member(rows.iterator().next()));
  }

  /**
   * Creates the row if missing and locks it for the transaction: the one lock that serialises
   * every balance change of the customer, so concurrent redemptions cannot overdraw.
   */
  public Uni<Member> lock(SqlClient client, String tenantId, long customerId, String lowestTier, OffsetDateTime now) {
    return client.preparedQuery("""
            INSERT INTO membership (tenant_id, customer_id, tier, tier_since, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $4, $4) ON CONFLICT DO NOTHING""")
        .execute(Tuple.of(tenantId, customerId, lowestTier, now))
        .flatMap(ignored -> client.preparedQuery(
                "SELECT * FROM membership WHERE tenant_id = $1 AND customer_id = $2 FOR UPDATE")
            .execute(Tuple.of(tenantId, customerId)))
        .map(rows -> member(rows.iterator().next()));
  }

  /** The customer's birthday, following a merge to the survivor; null id when the customer does not exist. */
  public record CustomerRef(Long id, LocalDate birthday) {
  }

  public Uni<CustomerRef> resolveCustomer(SqlClient client, String tenantId, long customerId) {
    return client.preparedQuery("""
            SELECT s.id, s.birthday FROM customer c
              JOIN customer s ON s.tenant_id = c.tenant_id AND s.id = coalesce(c.merged_into, c.id)
             WHERE c.tenant_id = $1 AND c.id = $2
               FOR SHARE OF s""")
        .execute(Tuple.of(tenantId, customerId))
        .map(rows -> {
          if (rows.size() == 0) {
            return new CustomerRef(null, null);
          }
          Row r = rows.iterator().next();
          return new CustomerRef(r.getLong("id"), r.getLocalDate("birthday"));
        });
  }

  public Uni<Void> addBalance(SqlClient client, String tenantId, long customerId, long delta, OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE membership SET points_balance = points_balance + $3, updated_at = $4
             WHERE tenant_id = $1 AND customer_id = $2""")
        .execute(Tuple.of(tenantId, customerId, delta, now))
        .replaceWithVoid();
  }

  public Uni<Void> recordOrder(SqlClient client, String tenantId, long customerId, BigDecimal amount,
      OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE membership SET lifetime_spend = lifetime_spend + $3, orders_completed = orders_completed + 1,
                   updated_at = $4
             WHERE tenant_id = $1 AND customer_id = $2""")
        .execute(Tuple.of(tenantId, customerId, amount, now))
        .replaceWithVoid();
  }

  public Uni<Void> refundSpend(SqlClient client, String tenantId, long customerId, BigDecimal delta,
      OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE membership SET lifetime_spend = greatest(lifetime_spend - $3, 0), updated_at = $4
             WHERE tenant_id = $1 AND customer_id = $2""")
        .execute(Tuple.of(tenantId, customerId, delta, now))
        .replaceWithVoid();
  }

  /** Moves the tier, keeps the history; clears any grace period. */
  public Uni<Void> changeTier(SqlClient client, String tenantId, long customerId, String from, String to,
      String reason, BigDecimal rollingSpend, OffsetDateTime at) {
    return client.preparedQuery("""
            WITH history AS (
                INSERT INTO membership_tier_change (tenant_id, customer_id, from_tier, to_tier, reason, rolling_spend, changed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7))
            UPDATE membership SET tier = $4, tier_since = $7, below_threshold_since = NULL, updated_at = $7
             WHERE tenant_id = $1 AND customer_id = $2""")
        .execute(Tuple.from(Arrays.asList(tenantId, customerId, from, to, reason, rollingSpend, at)))
        .replaceWithVoid();
  }

  public Uni<Void> setBelowThresholdSince(SqlClient client, String tenantId, long customerId, OffsetDateTime since,
      OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE membership SET below_threshold_since = $3, updated_at = $4 WHERE tenant_id = $1 AND customer_id = $2""")
        .execute(Tuple.of(tenantId, customerId, since, now))
        .replaceWithVoid();
  }

  /** Spend (amount - refunded) of orders in (to - periodDays, to]. */
  public Uni<BigDecimal> rollingSpend(SqlClient client, String tenantId, long customerId, OffsetDateTime to,
      int periodDays) {
    return client.preparedQuery("""
            SELECT coalesce(sum(amount - refunded), 0) AS spend FROM membership_spend
             WHERE tenant_id = $1 AND customer_id = $2 AND occurred_at > $3::timestamptz - make_interval(days => $4::int)
               AND occurred_at <= $3""")
        .execute(Tuple.of(tenantId, customerId, to, periodDays))
        .map(rows -> rows.iterator().next().getBigDecimal("spend"));
  }

  // ---------------------------------------------------------------- merge

  /**
   * Folds the loser's membership into the survivor's, in the caller's transaction (the merge, which
   * holds both customers' rows locked, so no ledger write of either runs meanwhile): the points
   * ledger, spend per order, tier history and consumed order events move to the survivor; balances,
   * lifetime spend and completed orders add up; the better tier (higher in the programme) is kept
   * with its dates, a {@code merge} entry recording a change of the survivor's tier. The loser's
   * membership row then goes. Nothing to do when the loser never had one.
   */
  public Uni<Void> merge(SqlClient tx, String tenantId, long survivorId, long loserId, OffsetDateTime now) {
    return program(tx, tenantId).flatMap(program -> lockIfPresent(tx, tenantId, loserId).flatMap(loser -> {
      if (loser == null) {
        return Uni.createFrom().voidItem();
      }
      return lock(tx, tenantId, survivorId, program.lowest().code(), now).flatMap(survivor -> {
        List<String> codes = program.tiers().stream().map(MembershipProgram.Tier::code).toList();
        Member better = codes.indexOf(loser.tier()) > codes.indexOf(survivor.tier()) ? loser : survivor;
        Tuple moved = Tuple.of(tenantId, survivorId, loserId);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String table : List.of("points_ledger", "membership_spend", "membership_tier_change",
            "membership_order_event")) {
          chain = chain.flatMap(ignored -> tx.preparedQuery(
                  "UPDATE " + table + " SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3")
              .execute(moved).replaceWithVoid());
        }
        return chain
            .flatMap(ignored -> tx.preparedQuery("""
                    UPDATE membership s SET points_balance = s.points_balance + l.points_balance,
                           lifetime_spend = s.lifetime_spend + l.lifetime_spend,
                           orders_completed = s.orders_completed + l.orders_completed,
                           tier = $4, tier_since = $5, below_threshold_since = $6, updated_at = $7
                      FROM membership l
                     WHERE s.tenant_id = $1 AND s.customer_id = $2 AND l.tenant_id = $1 AND l.customer_id = $3""")
                .execute(Tuple.from(Arrays.asList(tenantId, survivorId, loserId, better.tier(), better.tierSince(),
                    better.belowThresholdSince(), now))))
            .flatMap(ignored -> tx.preparedQuery("DELETE FROM membership WHERE tenant_id = $1 AND customer_id = $2")
                .execute(Tuple.of(tenantId, loserId)))
            .flatMap(ignored -> better == survivor || better.tier().equals(survivor.tier())
                ? Uni.createFrom().voidItem()
                : rollingSpend(tx, tenantId, survivorId, now, program.periodDays())
                    .flatMap(spend -> tx.preparedQuery("""
                            INSERT INTO membership_tier_change (tenant_id, customer_id, from_tier, to_tier, reason,
                                rolling_spend, changed_at)
                            VALUES ($1, $2, $3, $4, 'merge', $5, $6)""")
                        .execute(Tuple.from(Arrays.asList(tenantId, survivorId, survivor.tier(), better.tier(), spend,
                            now))))
                    .replaceWithVoid());
      });
    }));
  }

  private Uni<Member> lockIfPresent(SqlClient tx, String tenantId, long customerId) {
    return tx.preparedQuery("SELECT * FROM membership WHERE tenant_id = $1 AND customer_id = $2 FOR UPDATE")
        .execute(Tuple.of(tenantId, customerId))
        .map(rows -> rows.size() == 0 ? null : member(rows.iterator().next()));
  }

  // ---------------------------------------------------------------- spend per order

  public Uni<Spend> spend(SqlClient client, String tenantId, String orderNo) {
    return client.preparedQuery("SELECT * FROM membership_spend WHERE tenant_id = $1 AND order_no = $2 FOR UPDATE")
        .execute(Tuple.of(tenantId, orderNo))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new Spend(r.getLong("customer_id"), r.getBigDecimal("amount"), r.getBigDecimal("refunded"),
              r.getLong("points_earned"), r.getLong("points_reversed"));
        });
  }

  public Uni<Void> insertSpend(SqlClient client, String tenantId, long customerId, String orderNo, BigDecimal amount,
      long pointsEarned, OffsetDateTime occurredAt) {
    return client.preparedQuery("""
            INSERT INTO membership_spend (tenant_id, customer_id, order_no, amount, points_earned, occurred_at)
            VALUES ($1, $2, $3, $4, $5, $6)""")
        .execute(Tuple.of(tenantId, customerId, orderNo, amount, pointsEarned, occurredAt))
        .replaceWithVoid();
  }

  public Uni<Void> updateRefund(SqlClient client, String tenantId, String orderNo, BigDecimal refunded,
      long pointsReversed) {
    return client.preparedQuery("""
            UPDATE membership_spend SET refunded = $3, points_reversed = $4 WHERE tenant_id = $1 AND order_no = $2""")
        .execute(Tuple.of(tenantId, orderNo, refunded, pointsReversed))
        .replaceWithVoid();
  }

  // ---------------------------------------------------------------- order events

  /** Claims the event id; false when it was consumed before (a concurrent duplicate waits for the first). */
  public Uni<Boolean> claimEvent(SqlClient client, String tenantId, MembershipModels.OrderEvent e,
      OffsetDateTime now) {
    return client.preparedQuery("""
            INSERT INTO membership_order_event (tenant_id, event_id, type, customer_id, order_no, occurred_at, result,
                received_at)
            VALUES ($1, $2, $3, $4, $5, $6, '{}', $7) ON CONFLICT DO NOTHING""")
        .execute(Tuple.from(Arrays.asList(tenantId, e.eventId(), e.type(), e.customerId(), e.orderNo(),
            e.occurredAt(), now)))
        .map(rows -> rows.rowCount() == 1);
  }

  public Uni<Void> storeEventResult(SqlClient client, String tenantId, String eventId, String resultJson) {
    return client.preparedQuery("UPDATE membership_order_event SET result = $3 WHERE tenant_id = $1 AND event_id = $2")
        .execute(Tuple.of(tenantId, eventId, resultJson))
        .replaceWithVoid();
  }

  public Uni<String> eventResult(SqlClient client, String tenantId, String eventId) {
    return client.preparedQuery("SELECT result FROM membership_order_event WHERE tenant_id = $1 AND event_id = $2")
        .execute(Tuple.of(tenantId, eventId))
        .map(rows -> rows.iterator().next().getString("result"));
  }

  // ---------------------------------------------------------------- ledger

  public Uni<Long> append(SqlClient client, String tenantId, long customerId, EntryKind kind, long points,
      String reason, String source, String key, OffsetDateTime occurredAt, OffsetDateTime expiresAt,
      OffsetDateTime now) {
    return client.preparedQuery("""
            INSERT INTO points_ledger (tenant_id, customer_id, kind, points, reason, source, idempotency_key,
                occurred_at, expires_at, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id""")
        .execute(Tuple.from(Arrays.asList(tenantId, customerId, kind.wire(), points, reason, source, key,
            occurredAt, expiresAt, now)))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  public Uni<List<LedgerEntry>> ledger(SqlClient client, String tenantId, long customerId, EntryKind kind,
      PageRequest page) {
    List<Object> args = new ArrayList<>(List.of(tenantId, customerId));
    StringBuilder sql = new StringBuilder("SELECT * FROM points_ledger WHERE tenant_id = $1 AND customer_id = $2");
    if (kind != null) {
      args.add(kind.wire());
      sql.append(" AND kind = $").append(args.size());
    }
    if (page.after() != null) {
      args.add(page.after());
      sql.append(" AND id < $").append(args.size());
    }
    args.add(page.fetchSize());
    sql.append(" ORDER BY id DESC LIMIT $").append(args.size());
    return client.preparedQuery(sql.toString()).execute(Tuple.from(args))
        .map(rows -> stream(rows).map(r -> new LedgerEntry(r.getLong("id"), r.getLong("customer_id"),
            EntryKind.fromWire(r.getString("kind")), r.getLong("points"), r.getString("reason"),
            r.getString("source"), r.getOffsetDateTime("occurred_at"), r.getOffsetDateTime("expires_at"),
            r.getOffsetDateTime("created_at"))).toList());
  }

  public Uni<List<TierChange>> tierHistory(SqlClient client, String tenantId, long customerId, PageRequest page) {
    List<Object> args = new ArrayList<>(List.of(tenantId, customerId));
    StringBuilder sql = new StringBuilder(
        "SELECT * FROM membership_tier_change WHERE tenant_id = $1 AND customer_id = $2");
    if (page.after() != null) {
      args.add(page.after());
      sql.append(" AND id < $").append(args.size());
    }
    args.add(page.fetchSize());
    sql.append(" ORDER BY id DESC LIMIT $").append(args.size());
    return client.preparedQuery(sql.toString()).execute(Tuple.from(args))
        .map(rows -> stream(rows).map(r -> new TierChange(r.getLong("id"), r.getString("from_tier"),
            r.getString("to_tier"), r.getString("reason"), r.getBigDecimal("rolling_spend"),
            r.getOffsetDateTime("changed_at"))).toList());
  }

  // ---------------------------------------------------------------- maintenance

  /** A lot cut-off of one customer not expired yet. */
  public record ExpiryDue(long customerId, OffsetDateTime cutoff) {
  }

  public Uni<List<ExpiryDue>> expiriesDue(SqlClient client, String tenantId, OffsetDateTime asOf) {
    return client.preparedQuery("""
            SELECT DISTINCT e.customer_id, e.expires_at FROM points_ledger e
             WHERE e.tenant_id = $1 AND e.kind = 'earn' AND e.expires_at <= $2
               AND NOT EXISTS (SELECT 1 FROM points_ledger x
                                WHERE x.tenant_id = e.tenant_id AND x.customer_id = e.customer_id
                                  AND x.kind = 'expire' AND x.expires_at = e.expires_at)
             ORDER BY e.customer_id, e.expires_at""")
        .execute(Tuple.of(tenantId, asOf))
        .map(rows -> stream(rows).map(r -> new ExpiryDue(r.getLong("customer_id"), r.getOffsetDateTime("expires_at")))
            .toList());
  }

  /** [earned in lots expiring by the cut-off, debited before it, expired before] for the FIFO rule. */
  public Uni<long[]> expirySums(SqlClient client, String tenantId, long customerId, OffsetDateTime cutoff) {
    return client.preparedQuery("""
            SELECT coalesce(sum(points) FILTER (WHERE kind = 'earn' AND expires_at <= $3), 0) AS earned,
                   coalesce(-sum(points) FILTER (WHERE kind <> 'expire' AND points < 0 AND occurred_at < $3), 0) AS debited,
                   coalesce(-sum(points) FILTER (WHERE kind = 'expire'), 0) AS expired
              FROM points_ledger WHERE tenant_id = $1 AND customer_id = $2""")
        .execute(Tuple.of(tenantId, customerId, cutoff))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new long[] {r.getLong("earned"), r.getLong("debited"), r.getLong("expired")};
        });
  }

  /** Members above the lowest tier or in a grace period, with their rolling spend as of {@code asOf}. */
  public record TierCheck(long customerId, String tier, OffsetDateTime belowThresholdSince, BigDecimal rollingSpend) {
  }

  public Uni<List<TierCheck>> tierChecks(SqlClient client, String tenantId, String lowest, OffsetDateTime asOf,
      int periodDays) {
    return client.preparedQuery("""
            SELECT m.customer_id, m.tier, m.below_threshold_since,
                   (SELECT coalesce(sum(s.amount - s.refunded), 0) FROM membership_spend s
                     WHERE s.tenant_id = m.tenant_id AND s.customer_id = m.customer_id
                       AND s.occurred_at > $3::timestamptz - make_interval(days => $4::int) AND s.occurred_at <= $3) AS spend
              FROM membership m
             WHERE m.tenant_id = $1 AND (m.tier <> $2 OR m.below_threshold_since IS NOT NULL)""")
        .execute(Tuple.of(tenantId, lowest, asOf, periodDays))
        .map(rows -> stream(rows).map(r -> new TierCheck(r.getLong("customer_id"), r.getString("tier"),
            r.getOffsetDateTime("below_threshold_since"), r.getBigDecimal("spend"))).toList());
  }

  public Uni<List<String>> tenantsWithMembers(SqlClient client) {
    return client.query("SELECT DISTINCT tenant_id FROM membership").execute()
        .map(rows -> stream(rows).map(r -> r.getString("tenant_id")).toList());
  }

  private static Member member(Row r) {
    return new Member(r.getLong("customer_id"), r.getString("tier"), r.getLong("points_balance"),
        r.getBigDecimal("lifetime_spend"), r.getInteger("orders_completed"), r.getOffsetDateTime("tier_since"),
        r.getOffsetDateTime("below_threshold_since"));
  }

  static java.util.stream.Stream<Row> stream(RowSet<Row> rows) {
    return StreamSupport.stream(rows.spliterator(), false);
  }
}
