package com.shopcrm.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * The one idempotency mechanism (ARCHITECTURE §4): a creating call that carries an
 * {@code Idempotency-Key} header runs at most once per tenant and key; a retry gets the first
 * answer (status, body, {@code Location}) back and writes nothing new; the same key with another
 * request (another operation or body) is a {@code 422} problem.
 *
 * <p>How: the call's writes and the key run in ONE database transaction. The key row is claimed
 * first ({@code INSERT ... ON CONFLICT DO NOTHING}); a concurrent retry blocks on that row until
 * the first transaction ends, then finds the stored answer. If the call fails, its transaction
 * (and so the claim) rolls back, and a retry runs it afresh. Without a key the call simply runs in
 * a transaction.
 *
 * <p>Every service using it creates this table in its own Flyway migration:
 *
 * <pre>
 * CREATE TABLE idempotency_key (
 *     tenant_id        text        NOT NULL,
 *     idempotency_key  text        NOT NULL,
 *     operation        text        NOT NULL,   -- e.g. "POST /api/v1/customers"
 *     request_hash     text        NOT NULL,   -- SHA-256 of operation + canonical request JSON
 *     status           int,
 *     response_body    text,
 *     location         text,
 *     created_at       timestamptz NOT NULL,
 *     PRIMARY KEY (tenant_id, idempotency_key)
 * );
 * CREATE INDEX idempotency_key_created_idx ON idempotency_key (tenant_id, created_at);
 * </pre>
 *
 * Rows may be purged after a retention period (e.g. 24 h) with a plain {@code DELETE ... WHERE
 * created_at < ...}; nothing else depends on them.
 */
@ApplicationScoped
public class IdempotentWrites {

  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";
  private static final int MAX_KEY_LENGTH = 255;

  private final Instance<Pool> pool;
  private final ObjectMapper mapper;
  private final Clock clock;

  IdempotentWrites(Instance<Pool> pool, ObjectMapper mapper, Clock clock) {
    this.pool = pool;
    this.mapper = mapper;
    this.clock = clock;
  }

  /**
   * Runs {@code action} in one transaction, at most once per (tenant, key).
   *
   * @param tenantId  the caller's tenant
   * @param key       the {@code Idempotency-Key} header, or {@code null}/blank for none
   * @param operation what is called, e.g. {@code "POST /api/v1/customers"} (a key reused on another
   *                  operation is a 422)
   * @param request   the parsed request body (its JSON form is fingerprinted)
   * @param action    the writes, on the transaction's connection
   */
  public Uni<Response> run(String tenantId, String key, String operation, Object request,
      Function<SqlConnection, Uni<IdempotentResult>> action) {
    if (key == null || key.isBlank()) {
      return pool.get().withTransaction(action).map(result -> respond(result.status(), json(result.body()),
          result.location(), false));
    }
    validate(key);
    String hash = fingerprint(operation, request);
    return pool.get().withTransaction(conn -> conn.preparedQuery("""
            INSERT INTO idempotency_key (tenant_id, idempotency_key, operation, request_hash, created_at)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""")
        .execute(Tuple.of(tenantId, key, operation, hash, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)))
        .flatMap(claim -> claim.rowCount() == 1
            ? action.apply(conn).flatMap(result -> store(conn, tenantId, key, result))
            : replay(conn, tenantId, key, operation, hash)));
  }

  private Uni<Response> store(SqlConnection conn, String tenantId, String key, IdempotentResult result) {
    String body = json(result.body());
    return conn.preparedQuery("""
            UPDATE idempotency_key SET status = $3, response_body = $4, location = $5
            WHERE tenant_id = $1 AND idempotency_key = $2""")
        .execute(Tuple.of(tenantId, key, result.status(), body, result.location()))
        .map(ignored -> respond(result.status(), body, result.location(), false));
  }

  private Uni<Response> replay(SqlConnection conn, String tenantId, String key, String operation, String hash) {
    return conn.preparedQuery("""
            SELECT operation, request_hash, status, response_body, location FROM idempotency_key
            WHERE tenant_id = $1 AND idempotency_key = $2""")
        .execute(Tuple.of(tenantId, key))
        .map(rows -> {
          Row row = rows.iterator().next();
          if (!operation.equals(row.getString("operation")) || !hash.equals(row.getString("request_hash"))) {
            throw new ProblemException(Problem.of(422, "Idempotency key reused",
                "The Idempotency-Key '" + key + "' was already used with a different request; use a new key."));
          }
          return respond(row.getInteger("status"), row.getString("response_body"), row.getString("location"), true);
        });
  }

  private static Response respond(int status, String body, String location, boolean replayed) {
    Response.ResponseBuilder builder = Response.status(status);
    if (body != null) {
      builder.type(MediaType.APPLICATION_JSON).entity(body);
    }
    if (location != null) {
      builder.header("Location", location);
    }
    if (replayed) {
      builder.header(REPLAYED_HEADER, "true");
    }
    return builder.build();
  }

  private static void validate(String key) {
    if (key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw ProblemException.invalid(HEADER, "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
    }
  }

  private String fingerprint(String operation, Object request) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(operation.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      sha.update(mapper.writeValueAsBytes(request));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException("cannot fingerprint the request", e);
    }
  }

  private String json(Object body) {
    if (body == null) {
      return null;
    }
    try {
      return mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the response", e);
    }
  }
}
