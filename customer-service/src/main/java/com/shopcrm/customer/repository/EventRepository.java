package com.shopcrm.customer.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.customer.model.EventType;
import com.shopcrm.customer.model.EventView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Behaviour events. Bulk writes are one {@code INSERT ... SELECT FROM unnest(...)} (see CustomerRepository). */
@ApplicationScoped
public class EventRepository {

  private static final String COLUMNS = "id, customer_id, type, occurred_at, properties::text AS properties, recorded_at";

  private final ObjectMapper mapper;

  EventRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Inserts the events (index-aligned arrays) and returns their ids in the same order. The ids are
   * drawn from the identity sequence first so they can be matched to the request's items.
   */
  public Uni<List<EventView>> insert(SqlClient client, String tenantId, Long[] customerIds, String[] types,
      OffsetDateTime[] occurredAt, String[] propertiesJson, OffsetDateTime now) {
    return client.preparedQuery("""
            WITH input AS (
                SELECT i.*, nextval(pg_get_serial_sequence('customer_event', 'id')) AS id
                  FROM unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::text[]) WITH ORDINALITY
                       AS i(customer_id, type, occurred_at, properties, ord)
            ), inserted AS (
                INSERT INTO customer_event (tenant_id, id, customer_id, type, occurred_at, properties, recorded_at)
                OVERRIDING SYSTEM VALUE
                SELECT $1, id, customer_id, type, coalesce(occurred_at, $6), coalesce(properties::jsonb, '{}'), $6
                  FROM input
                RETURNING id, customer_id, type, occurred_at, properties::text AS properties, recorded_at
            )
            SELECT inserted.* FROM inserted JOIN input USING (id) ORDER BY input.ord""")
        .execute(Tuple.of(tenantId, customerIds, types, occurredAt, propertiesJson, now))
        .map(rows -> {
          List<EventView> views = new ArrayList<>();
          rows.forEach(row -> views.add(view(row)));
          return views;
        });
  }

  /**
   * Resolves the customers of bulk events (index-aligned: a customer id, or a platform and an
   * external id), locking them against a concurrent merge. Returns position -> the live customer
   * (a merged id resolves to its survivor); unknown ones are absent.
   */
  public Uni<java.util.Map<Integer, Long>> resolveCustomers(SqlClient client, String tenantId, Long[] customerIds,
      String[] platforms, String[] externalIds) {
    return client.preparedQuery("""
            SELECT i.ord, coalesce(c.merged_into, c.id) AS customer_id
              FROM unnest($2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY AS i(customer_id, platform, external_id, ord)
              LEFT JOIN customer_identity ci ON ci.tenant_id = $1 AND ci.platform = i.platform
                                            AND ci.external_id = i.external_id
              JOIN customer c ON c.tenant_id = $1 AND c.id = coalesce(i.customer_id, ci.customer_id)
             ORDER BY c.id
               FOR SHARE OF c""")
        .execute(Tuple.of(tenantId, customerIds, platforms, externalIds))
        .map(rows -> {
          java.util.Map<Integer, Long> resolved = new java.util.HashMap<>();
          rows.forEach(row -> resolved.put(row.getLong("ord").intValue() - 1, row.getLong("customer_id")));
          return resolved;
        });
  }

  /** Newest first by (occurred_at, id); the cursor is the id of the last event shown. */
  public Uni<List<EventView>> list(SqlClient client, String tenantId, long customerId, EventType type,
      PageRequest page) {
    List<Object> args = new ArrayList<>(List.of(tenantId, customerId));
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS
        + " FROM customer_event e WHERE e.tenant_id = $1 AND e.customer_id = $2");
    if (page.after() != null) {
      args.add(page.after());
      sql.append(" AND (e.occurred_at, e.id) < (SELECT occurred_at, id FROM customer_event"
          + " WHERE tenant_id = $1 AND id = $").append(args.size()).append(")");
    }
    if (type != null) {
      args.add(type.wire());
      sql.append(" AND e.type = $").append(args.size());
    }
    args.add(page.fetchSize());
    sql.append(" ORDER BY e.occurred_at DESC, e.id DESC LIMIT $").append(args.size());
    return client.preparedQuery(sql.toString()).execute(Tuple.from(args))
        .map(rows -> {
          List<EventView> views = new ArrayList<>();
          rows.forEach(row -> views.add(view(row)));
          return views;
        });
  }

  private EventView view(Row row) {
    try {
      return new EventView(row.getLong("id"), row.getLong("customer_id"), EventType.fromWire(row.getString("type")),
          row.getOffsetDateTime("occurred_at"), mapper.readTree(row.getString("properties")),
          row.getOffsetDateTime("recorded_at"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored properties are not JSON", e);
    }
  }
}
