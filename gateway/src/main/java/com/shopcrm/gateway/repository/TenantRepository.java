package com.shopcrm.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The shops known to the platform. The gateway's two small tables are read and written through
 * the reactive SQL client directly (no ORM): the key lookup runs on every request inside a Vert.x
 * route, outside any Hibernate session, and one way of access for both tables keeps it plain.
 */
@ApplicationScoped
public class TenantRepository {

  public record TenantRow(long seq, String id, String name, OffsetDateTime createdAt) {
  }

  private final Pool pool;

  TenantRepository(Pool pool) {
    this.pool = pool;
  }

  /** Inserts the tenant; {@code null} when the id is taken. */
  public Uni<TenantRow> insert(String id, String name, OffsetDateTime createdAt) {
    return pool.preparedQuery("""
            INSERT INTO tenant (id, name, created_at) VALUES ($1, $2, $3)
            ON CONFLICT (id) DO NOTHING
            RETURNING seq, id, name, created_at""")
        .execute(Tuple.of(id, name, createdAt))
        .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
  }

  public Uni<Boolean> exists(String id) {
    return pool.preparedQuery("SELECT 1 FROM tenant WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() > 0);
  }

  /** Up to {@code limit} tenants after the given {@code seq} (keyset paging), oldest first. */
  public Uni<List<TenantRow>> list(Long afterSeq, int limit) {
    return pool.preparedQuery("SELECT seq, id, name, created_at FROM tenant WHERE seq > $1 ORDER BY seq LIMIT $2")
        .execute(Tuple.of(afterSeq == null ? 0L : afterSeq, limit))
        .map(rows -> {
          List<TenantRow> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(row(r)));
          return out;
        });
  }

  private static TenantRow row(Row r) {
    return new TenantRow(r.getLong("seq"), r.getString("id"), r.getString("name"), r.getOffsetDateTime("created_at"));
  }
}
