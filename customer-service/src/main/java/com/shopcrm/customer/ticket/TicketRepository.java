package com.shopcrm.customer.ticket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.customer.ticket.TicketModels.Category;
import com.shopcrm.customer.ticket.TicketModels.KpiFigures;
import com.shopcrm.customer.ticket.TicketModels.Priority;
import com.shopcrm.customer.ticket.TicketModels.Satisfaction;
import com.shopcrm.customer.ticket.TicketModels.SlaPolicy;
import com.shopcrm.customer.ticket.TicketModels.Status;
import com.shopcrm.customer.ticket.TicketModels.TicketChannel;
import com.shopcrm.customer.ticket.TicketModels.TicketView;
import com.shopcrm.customer.ticket.TicketModels.TimelineEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/** Tickets, their timeline, the SLA policy and the ticket-event outbox, in plain SQL on the reactive client. */
@ApplicationScoped
public class TicketRepository {

  /** Breached now (flag set by the scan or at the late response/resolution, or overdue as of $now). */
  static final String BREACHED = """
      (t.first_response_breached OR t.resolution_breached
       OR (t.first_response_at IS NULL AND t.status NOT IN ('resolved', 'closed') AND t.first_response_due < %1$s)
       OR (t.status NOT IN ('resolved', 'closed') AND t.resolution_due < %1$s))""";

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
  };

  private final ObjectMapper mapper;

  TicketRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  // ---------------------------------------------------------------- SLA policy

  public Uni<SlaPolicy> policy(SqlClient client, String tenantId) {
    return client.preparedQuery("SELECT policy::text AS policy FROM ticket_sla_policy WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId))
        .map(rows -> rows.size() == 0 ? SlaPolicy.defaults() : read(rows.iterator().next().getString("policy"),
            SlaPolicy.class));
  }

  public Uni<Void> savePolicy(SqlClient client, String tenantId, SlaPolicy policy, OffsetDateTime now) {
    return client.preparedQuery("""
            INSERT INTO ticket_sla_policy (tenant_id, policy, updated_at) VALUES ($1, $2::text::jsonb, $3)
            ON CONFLICT (tenant_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at""")
        .execute(Tuple.of(tenantId, json(policy), now))
        .replaceWithVoid();
  }

  // ---------------------------------------------------------------- tickets

  /** The stored columns a new ticket needs. */
  public record NewTicket(long customerId, String orderNo, TicketChannel channel, List<Category> categories,
      Priority priority, String subject, String description, List<String> attachments, String assignee,
      OffsetDateTime firstResponseDue, OffsetDateTime resolutionDue) {
  }

  public Uni<Long> insert(SqlClient client, String tenantId, NewTicket t, OffsetDateTime now) {
    return client.preparedQuery("""
            INSERT INTO ticket (tenant_id, customer_id, order_no, channel, categories, priority, status, subject,
                description, attachments, assignee, first_response_due, resolution_due, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id""")
        .execute(Tuple.from(Arrays.asList(tenantId, t.customerId(), t.orderNo(), t.channel().wire(),
            wires(t.categories()), t.priority().wire(), t.subject(), t.description(),
            t.attachments().toArray(String[]::new), t.assignee(), t.firstResponseDue(), t.resolutionDue(), now)))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  public Uni<TicketView> find(SqlClient client, String tenantId, long id, OffsetDateTime now, boolean lock) {
    return client.preparedQuery("SELECT t.*, " + BREACHED.formatted("$3") + " AS breached_now FROM ticket t"
            + " WHERE t.tenant_id = $1 AND t.id = $2" + (lock ? " FOR UPDATE" : ""))
        .execute(Tuple.of(tenantId, id, now))
        .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
  }

  /** Filters of the ticket list; null means any. */
  public record TicketFilter(Status status, Category category, Priority priority, String assignee, Boolean breached,
      Long customerId) {
  }

  public Uni<List<TicketView>> list(SqlClient client, String tenantId, TicketFilter f, PageRequest page,
      OffsetDateTime now) {
    List<Object> args = new ArrayList<>(List.of(tenantId, now));
    StringBuilder sql = new StringBuilder("SELECT t.*, " + BREACHED.formatted("$2") + " AS breached_now FROM ticket t"
        + " WHERE t.tenant_id = $1");
    condition(sql, args, "t.status = $", f.status() == null ? null : f.status().wire());
    condition(sql, args, "t.categories @> ARRAY[$", f.category() == null ? null : f.category().wire());
    if (f.category() != null) {
      sql.append("]::text[]");
    }
    condition(sql, args, "t.priority = $", f.priority() == null ? null : f.priority().wire());
    condition(sql, args, "t.assignee = $", f.assignee());
    condition(sql, args, "t.customer_id = $", f.customerId());
    if (f.breached() != null) {
      sql.append(f.breached() ? " AND " : " AND NOT ").append(BREACHED.formatted("$2"));
    }
    condition(sql, args, "t.id < $", page.after());
    args.add(page.fetchSize());
    sql.append(" ORDER BY t.id DESC LIMIT $").append(args.size());
    return client.preparedQuery(sql.toString()).execute(Tuple.from(args))
        .map(rows -> stream(rows).map(this::view).toList());
  }

  public Uni<Void> update(SqlClient client, String tenantId, TicketView t, OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE ticket SET categories = $3, priority = $4, status = $5, assignee = $6, first_response_due = $7,
                   resolution_due = $8, first_response_at = $9, resolved_at = $10, closed_at = $11,
                   first_response_breached = $12, resolution_breached = $13, reopen_count = $14, updated_at = $15
             WHERE tenant_id = $1 AND id = $2""")
        .execute(Tuple.from(Arrays.asList(tenantId, t.id(), wires(t.categories()), t.priority().wire(),
            t.status().wire(), t.assignee(), t.firstResponseDue(), t.resolutionDue(), t.firstResponseAt(),
            t.resolvedAt(), t.closedAt(), t.firstResponseBreached(), t.resolutionBreached(), t.reopenCount(), now)))
        .replaceWithVoid();
  }

  public Uni<Void> rate(SqlClient client, String tenantId, long id, int rating, String comment, OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE ticket SET satisfaction_rating = $3, satisfaction_comment = $4, updated_at = $5
             WHERE tenant_id = $1 AND id = $2""")
        .execute(Tuple.of(tenantId, id, rating, comment, now))
        .replaceWithVoid();
  }

  /**
   * Moves every ticket of the merged-away customer to the survivor (in the merge's transaction), each
   * with an internal {@code customer_merged} timeline entry naming both ids; returns how many moved.
   */
  public Uni<Integer> reassignCustomer(SqlClient tx, String tenantId, long survivorId, long loserId,
      OffsetDateTime now) {
    return tx.preparedQuery("""
            WITH moved AS (
                UPDATE ticket SET customer_id = $2, updated_at = $4
                 WHERE tenant_id = $1 AND customer_id = $3
                RETURNING id)
            INSERT INTO ticket_timeline (tenant_id, ticket_id, kind, actor, public, body, data, created_at)
            SELECT $1, id, 'customer_merged', NULL, false, NULL,
                   jsonb_build_object('from', $3::bigint, 'to', $2::bigint), $4
              FROM moved""")
        .execute(Tuple.of(tenantId, survivorId, loserId, now))
        .map(rows -> rows.rowCount());
  }

  // ---------------------------------------------------------------- timeline

  public Uni<TimelineEntry> addTimeline(SqlClient client, String tenantId, long ticketId, String kind, String actor,
      boolean visible, String body, Map<String, Object> data, OffsetDateTime now) {
    return client.preparedQuery("""
            INSERT INTO ticket_timeline (tenant_id, ticket_id, kind, actor, public, body, data, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8) RETURNING id""")
        .execute(Tuple.from(Arrays.asList(tenantId, ticketId, kind, actor, visible, body, json(data), now)))
        .map(rows -> new TimelineEntry(rows.iterator().next().getLong("id"), ticketId, kind, actor, visible, body,
            data, now));
  }

  public Uni<List<TimelineEntry>> timeline(SqlClient client, String tenantId, long ticketId, boolean publicOnly,
      PageRequest page) {
    List<Object> args = new ArrayList<>(List.of(tenantId, ticketId));
    StringBuilder sql = new StringBuilder("""
        SELECT id, ticket_id, kind, actor, public, body, data::text AS data, created_at FROM ticket_timeline
         WHERE tenant_id = $1 AND ticket_id = $2""");
    if (publicOnly) {
      sql.append(" AND public");
    }
    condition(sql, args, "id > $", page.after());
    args.add(page.fetchSize());
    sql.append(" ORDER BY id LIMIT $").append(args.size());
    return client.preparedQuery(sql.toString()).execute(Tuple.from(args))
        .map(rows -> stream(rows).map(r -> new TimelineEntry(r.getLong("id"), r.getLong("ticket_id"),
            r.getString("kind"), r.getString("actor"), r.getBoolean("public"), r.getString("body"),
            read(r.getString("data"), MAP), r.getOffsetDateTime("created_at"))).toList());
  }

  // ---------------------------------------------------------------- overdue scan

  /**
   * Flags the unfinished tickets whose first response ({@code kind = first_response}) or
   * resolution is overdue as of {@code asOf}, and for each writes a {@code ticket.sla_breached}
   * outbox event and a timeline entry, all in one statement. A null tenant scans every tenant.
   */
  public Uni<Integer> flagBreaches(SqlClient client, String tenantId, String kind, OffsetDateTime asOf,
      OffsetDateTime now) {
    boolean first = kind.equals("first_response");
    String flag = first ? "first_response_breached" : "resolution_breached";
    String due = first ? "first_response_due" : "resolution_due";
    String extra = first ? " AND first_response_at IS NULL" : "";
    return client.preparedQuery("""
            WITH breached AS (
                UPDATE ticket SET %1$s = true
                 WHERE ($1::text IS NULL OR tenant_id = $1) AND NOT %1$s AND status NOT IN ('resolved', 'closed')
                   AND %2$s < $2 %3$s
                RETURNING tenant_id, id, customer_id, priority, assignee, %2$s AS due),
            events AS (
                INSERT INTO ticket_event (tenant_id, ticket_id, type, payload, created_at)
                SELECT tenant_id, id, 'ticket.sla_breached',
                       jsonb_build_object('ticket_id', id, 'customer_id', customer_id, 'breach', $4::text,
                           'due', due, 'as_of', $2::timestamptz, 'priority', priority, 'assignee', assignee), $3
                  FROM breached
                ON CONFLICT DO NOTHING)
            INSERT INTO ticket_timeline (tenant_id, ticket_id, kind, actor, public, body, data, created_at)
            SELECT tenant_id, id, 'sla_breached', 'system', false, $4::text || ' overdue',
                   jsonb_build_object('breach', $4::text, 'due', due), $3
              FROM breached""".formatted(flag, due, extra))
        .execute(Tuple.of(tenantId, asOf, now, kind))
        .map(RowSet::rowCount);
  }

  // ---------------------------------------------------------------- KPIs

  private static final String FIGURES = """
      count(*) AS tickets,
      avg(extract(epoch FROM t.first_response_at - t.created_at)) / 60 AS fr_avg,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.first_response_at - t.created_at)) / 60 AS fr_p50,
      avg(extract(epoch FROM t.resolved_at - t.created_at)) / 60 AS res_avg,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.resolved_at - t.created_at)) / 60 AS res_p50,
      avg(CASE WHEN %s THEN 1.0 ELSE 0.0 END) AS breach_rate,
      avg(t.satisfaction_rating) AS sat_avg,
      count(t.satisfaction_rating) AS sat_count""".formatted(BREACHED.formatted("$4"));

  public Uni<KpiFigures> kpis(SqlClient client, String tenantId, OffsetDateTime from, OffsetDateTime to,
      OffsetDateTime now) {
    return client.preparedQuery("SELECT " + FIGURES
            + " FROM ticket t WHERE t.tenant_id = $1 AND t.created_at >= $2 AND t.created_at < $3")
        .execute(Tuple.of(tenantId, from, to, now))
        .map(rows -> figures(rows.iterator().next()));
  }

  public Uni<Map<Category, KpiFigures>> kpisByCategory(SqlClient client, String tenantId, OffsetDateTime from,
      OffsetDateTime to, OffsetDateTime now) {
    return client.preparedQuery("SELECT c.category, " + FIGURES
            + " FROM ticket t CROSS JOIN LATERAL unnest(t.categories) AS c(category)"
            + " WHERE t.tenant_id = $1 AND t.created_at >= $2 AND t.created_at < $3 GROUP BY c.category"
            + " ORDER BY c.category")
        .execute(Tuple.of(tenantId, from, to, now))
        .map(rows -> {
          Map<Category, KpiFigures> out = new java.util.LinkedHashMap<>();
          rows.forEach(r -> out.put(Category.fromWire(r.getString("category")), figures(r)));
          return out;
        });
  }

  // ---------------------------------------------------------------- mapping

  private static KpiFigures figures(Row r) {
    return new KpiFigures(r.getLong("tickets"), round(r.getValue("fr_avg")), round(r.getValue("fr_p50")),
        round(r.getValue("res_avg")), round(r.getValue("res_p50")), round(r.getValue("breach_rate")),
        round(r.getValue("sat_avg")), r.getLong("sat_count"));
  }

  private static BigDecimal round(Object value) {
    if (value == null) {
      return null;
    }
    BigDecimal d = value instanceof BigDecimal b ? b : new BigDecimal(value.toString());
    return d.setScale(2, RoundingMode.HALF_UP);
  }

  TicketView view(Row r) {
    Integer rating = r.getInteger("satisfaction_rating");
    String[] attachments = r.getArrayOfStrings("attachments");
    return new TicketView(r.getLong("id"), r.getLong("customer_id"), r.getString("order_no"),
        TicketChannel.valueOf(r.getString("channel").toUpperCase()),
        Arrays.stream(r.getArrayOfStrings("categories")).map(Category::fromWire).toList(),
        Priority.fromWire(r.getString("priority")), Status.fromWire(r.getString("status")), r.getString("subject"),
        r.getString("description"), attachments == null ? List.of() : List.of(attachments), r.getString("assignee"),
        r.getOffsetDateTime("first_response_due"), r.getOffsetDateTime("resolution_due"),
        r.getOffsetDateTime("first_response_at"), r.getOffsetDateTime("resolved_at"),
        r.getOffsetDateTime("closed_at"), r.getBoolean("first_response_breached"),
        r.getBoolean("resolution_breached"), r.getBoolean("breached_now"), r.getInteger("reopen_count"),
        rating == null ? null : new Satisfaction(rating, r.getString("satisfaction_comment")),
        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
  }

  private static String[] wires(List<Category> categories) {
    return categories.stream().map(Category::wire).distinct().toArray(String[]::new);
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value == null ? Map.of() : value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> T read(String text, Class<T> type) {
    try {
      return mapper.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON unreadable", e);
    }
  }

  private <T> T read(String text, TypeReference<T> type) {
    try {
      return mapper.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON unreadable", e);
    }
  }

  private static void condition(StringBuilder sql, List<Object> args, String clause, Object value) {
    if (value != null) {
      args.add(value);
      sql.append(" AND ").append(clause).append(args.size());
    }
  }

  static java.util.stream.Stream<Row> stream(RowSet<Row> rows) {
    return StreamSupport.stream(rows.spliterator(), false);
  }
}
