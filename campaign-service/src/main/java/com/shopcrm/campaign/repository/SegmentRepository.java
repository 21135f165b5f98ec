package com.shopcrm.campaign.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.page.PageRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Saved segments ({@code segment}); every query names the tenant. */
@ApplicationScoped
public class SegmentRepository {

  private static final String COLUMNS = "id, name, description, rule::text AS rule, refs, created_at, updated_at";

  /** A stored segment; {@code refs} are the ids its rule references directly. */
  public record SegmentRow(long id, String name, String description, JsonNode rule, List<Long> refs,
      OffsetDateTime createdAt, OffsetDateTime updatedAt) {
  }

  private final ObjectMapper mapper;

  SegmentRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Serialises the tenant's segment writes (transaction-scoped advisory lock), so two concurrent
   * edits can never close a reference cycle between them.
   */
  public Uni<Void> lockTenant(SqlClient tx, String tenantId) {
    return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended('segment:' || $1, 0))")
        .execute(Tuple.of(tenantId)).replaceWithVoid();
  }

  /** All the tenant's segments (a shop has tens to hundreds): for references, cycles and membership. */
  public Uni<List<SegmentRow>> all(SqlClient client, String tenantId) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM segment WHERE tenant_id = $1 ORDER BY id")
        .execute(Tuple.of(tenantId)).map(this::rows);
  }

  public Uni<Optional<SegmentRow>> find(SqlClient client, String tenantId, long id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM segment WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id)).map(rows -> rows(rows).stream().findFirst());
  }

  /** One keyset page by id, fetching one extra row to tell a next page. */
  public Uni<List<SegmentRow>> page(SqlClient client, String tenantId, PageRequest page) {
    return client.preparedQuery("SELECT " + COLUMNS
            + " FROM segment WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3")
        .execute(Tuple.of(tenantId, page.after() == null ? 0L : page.after(), page.fetchSize())).map(this::rows);
  }

  public Uni<SegmentRow> insert(SqlClient tx, String tenantId, String name, String description, JsonNode rule,
      List<Long> refs, OffsetDateTime now) {
    return tx.preparedQuery("INSERT INTO segment (tenant_id, name, description, rule, refs, created_at, updated_at)"
            + " VALUES ($1, $2, $3, $4::text::jsonb, $5, $6, $6) RETURNING " + COLUMNS)
        .execute(Tuple.from(new Object[] {tenantId, name, description, json(rule), refs.toArray(Long[]::new), now}))
        .map(rows -> rows(rows).get(0));
  }

  public Uni<SegmentRow> update(SqlClient tx, String tenantId, long id, String name, String description,
      JsonNode rule, List<Long> refs, OffsetDateTime now) {
    return tx.preparedQuery("UPDATE segment SET name = $3, description = $4, rule = $5::text::jsonb, refs = $6,"
            + " updated_at = $7 WHERE tenant_id = $1 AND id = $2 RETURNING " + COLUMNS)
        .execute(Tuple.from(new Object[] {tenantId, id, name, description, json(rule), refs.toArray(Long[]::new),
            now}))
        .map(rows -> rows(rows).get(0));
  }

  /** Ids of the segments whose rules reference {@code id}. */
  public Uni<List<Long>> referencedBy(SqlClient client, String tenantId, long id) {
    return client.preparedQuery("SELECT id FROM segment WHERE tenant_id = $1 AND $2 = ANY(refs) ORDER BY id")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> {
          List<Long> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getLong("id")));
          return ids;
        });
  }

  public Uni<Boolean> delete(SqlClient tx, String tenantId, long id) {
    return tx.preparedQuery("DELETE FROM segment WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id)).map(rows -> rows.rowCount() == 1);
  }

  private List<SegmentRow> rows(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
    List<SegmentRow> list = new ArrayList<>();
    rows.forEach(row -> list.add(row(row)));
    return list;
  }

  private SegmentRow row(Row row) {
    try {
      Long[] refs = row.getArrayOfLongs("refs");
      return new SegmentRow(row.getLong("id"), row.getString("name"), row.getString("description"),
          mapper.readTree(row.getString("rule")), refs == null ? List.of() : Arrays.asList(refs),
          row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored rule is not JSON", e);
    }
  }

  private String json(JsonNode rule) {
    try {
      return mapper.writeValueAsString(rule);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
