package com.shopcrm.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * API keys, stored by the SHA-256 of the key (never the key). {@link #findActiveByHash} is on the
 * path of every request: an equality on the unique index of {@code key_hash}. Plain reactive SQL for
 * the reason given on {@link TenantRepository}.
 */
@ApplicationScoped
public class ApiKeyRepository {

  /** A stored key; {@code tenantId == null} marks a platform key. */
  public record ApiKeyRow(long seq, UUID id, String tenantId, String name, List<String> roles,
                          OffsetDateTime createdAt, OffsetDateTime revokedAt) {
  }

  private static final String COLUMNS = "seq, id, tenant_id, name, roles, created_at, revoked_at";

  private final Pool pool;

  ApiKeyRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<ApiKeyRow> insert(SqlClient client, UUID id, String tenantId, String name, List<String> roles,
                               String keyHash, OffsetDateTime createdAt) {
    return client.preparedQuery("INSERT INTO api_key (id, tenant_id, name, roles, key_hash, created_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + COLUMNS)
        .execute(Tuple.from(Arrays.asList(id, tenantId, name, roles.toArray(String[]::new), keyHash, createdAt)))
        .map(rows -> row(rows.iterator().next()));
  }

  public Uni<ApiKeyRow> insert(UUID id, String tenantId, String name, List<String> roles, String keyHash,
                               OffsetDateTime createdAt) {
    return insert(pool, id, tenantId, name, roles, keyHash, createdAt);
  }

  /** The key with this hash unless revoked; {@code null} when there is none. */
  public Uni<ApiKeyRow> findActiveByHash(String keyHash) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(keyHash))
        .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
  }

  /** The key with this hash, revoked or not; {@code null} when there is none. */
  public Uni<ApiKeyRow> findByHash(SqlClient client, String keyHash) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM api_key WHERE key_hash = $1")
        .execute(Tuple.of(keyHash))
        .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
  }

  public Uni<ApiKeyRow> findById(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_key WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
  }

  public Uni<Boolean> anyActivePlatformKey(SqlClient client) {
    return client.query("SELECT 1 FROM api_key WHERE tenant_id IS NULL AND revoked_at IS NULL LIMIT 1")
        .execute()
        .map(rows -> rows.size() > 0);
  }

  /**
   * Keys of one tenant ({@code tenantId != null}) or of the whole platform ({@code null}), after the
   * given {@code seq}, oldest first.
   */
  public Uni<List<ApiKeyRow>> list(String tenantId, Long afterSeq, int limit) {
    long after = afterSeq == null ? 0L : afterSeq;
    var query = tenantId == null
        ? pool.preparedQuery("SELECT " + COLUMNS + " FROM api_key WHERE seq > $1 ORDER BY seq LIMIT $2")
            .execute(Tuple.of(after, limit))
        : pool.preparedQuery("SELECT " + COLUMNS + " FROM api_key WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3")
            .execute(Tuple.of(tenantId, after, limit));
    return query.map(rows -> {
      List<ApiKeyRow> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(row(r)));
      return out;
    });
  }

  /**
   * Marks the key revoked (once: a second revoke keeps the first time) and returns its hash so a
   * cache can forget it; {@code null} when there is no such key.
   */
  public Uni<String> revoke(UUID id, OffsetDateTime at) {
    return pool.preparedQuery("UPDATE api_key SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING key_hash")
        .execute(Tuple.of(id, at))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("key_hash"));
  }

  private static ApiKeyRow row(Row r) {
    String[] roles = r.getArrayOfStrings("roles");
    return new ApiKeyRow(r.getLong("seq"), r.getUUID("id"), r.getString("tenant_id"), r.getString("name"),
        roles == null ? List.of() : List.of(roles), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("revoked_at"));
  }
}
