package com.shopcrm.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
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

  /** A shop and its gateway settings ({@code null} rate limits: the configured default). */
  public record TenantRow(long seq, String id, String name, OffsetDateTime createdAt, List<String> corsOrigins,
                          Integer rateLimitPerSecond, Integer keyRateLimitPerSecond) {
  }

  private static final String COLUMNS =
      "seq, id, name, created_at, cors_origins, rate_limit_per_second, key_rate_limit_per_second";

  private final Pool pool;

  TenantRepository(Pool pool) {
    this.pool = pool;
  }

  /** Inserts the tenant; {@code null} when the id is taken. */
  public Uni<TenantRow> insert(String id, String name, OffsetDateTime createdAt) {
    return pool.preparedQuery("INSERT INTO tenant (id, name, created_at) VALUES ($1, $2, $3) "
            + "ON CONFLICT (id) DO NOTHING RETURNING " + COLUMNS)
        .execute(Tuple.of(id, name, createdAt))
        .map(TenantRepository::first);
  }

  public Uni<Boolean> exists(String id) {
    return pool.preparedQuery("SELECT 1 FROM tenant WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() > 0);
  }

  /** The tenant, or {@code null}. */
  public Uni<TenantRow> find(String id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM tenant WHERE id = $1")
        .execute(Tuple.of(id))
        .map(TenantRepository::first);
  }

  /** Up to {@code limit} tenants after the given {@code seq} (keyset paging), oldest first. */
  public Uni<List<TenantRow>> list(Long afterSeq, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM tenant WHERE seq > $1 ORDER BY seq LIMIT $2")
        .execute(Tuple.of(afterSeq == null ? 0L : afterSeq, limit))
        .map(rows -> {
          List<TenantRow> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(row(r)));
          return out;
        });
  }

  /** Replaces the tenant's CORS origins; {@code null} when there is no such tenant. */
  public Uni<TenantRow> updateCorsOrigins(String id, List<String> origins) {
    return pool.preparedQuery("UPDATE tenant SET cors_origins = $2 WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, origins.toArray(String[]::new)))
        .map(TenantRepository::first);
  }

  /** Sets the tenant's own rate limits ({@code null}: the configured default); {@code null} when there is no such tenant. */
  public Uni<TenantRow> updateRateLimits(String id, Integer perSecond, Integer keyPerSecond) {
    return pool.preparedQuery("UPDATE tenant SET rate_limit_per_second = $2, key_rate_limit_per_second = $3 "
            + "WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, perSecond, keyPerSecond))
        .map(TenantRepository::first);
  }

  /** Whether any tenant lists the origin: a preflight carries no key, so this is all it can be checked against. */
  public Uni<Boolean> anyAllowsOrigin(String origin) {
    return pool.preparedQuery("SELECT 1 FROM tenant WHERE cors_origins @> ARRAY[$1]::text[] LIMIT 1")
        .execute(Tuple.of(origin))
        .map(rows -> rows.size() > 0);
  }

  private static TenantRow first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : row(rows.iterator().next());
  }

  private static TenantRow row(Row r) {
    String[] origins = r.getArrayOfStrings("cors_origins");
    return new TenantRow(r.getLong("seq"), r.getString("id"), r.getString("name"), r.getOffsetDateTime("created_at"),
        origins == null ? List.of() : List.of(origins), r.getInteger("rate_limit_per_second"),
        r.getInteger("key_rate_limit_per_second"));
  }
}
