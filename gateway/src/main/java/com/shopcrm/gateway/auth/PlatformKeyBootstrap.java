package com.shopcrm.gateway.auth;

import com.shopcrm.common.tenant.Roles;
import com.shopcrm.gateway.config.GatewayConfig;
import com.shopcrm.gateway.repository.ApiKeyRepository;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Makes sure the platform can be administered (ARCHITECTURE §3): the value of
 * {@code CRM_BOOTSTRAP_ADMIN_KEY}, when set at a start, is stored (hashed) as a platform key and
 * stays valid from then on; when no platform key exists at all, one is generated and logged once.
 * Runs after Flyway, under an advisory lock so two instances starting together agree.
 */
@ApplicationScoped
public class PlatformKeyBootstrap {

  /** Arbitrary constant naming the advisory lock. */
  private static final long LOCK = 0x43524d4b4559L;
  private static final int MIN_BOOTSTRAP_LENGTH = 16;

  private final Pool pool;
  private final ApiKeyRepository keys;
  private final GatewayConfig config;
  private final Clock clock;

  PlatformKeyBootstrap(Pool pool, ApiKeyRepository keys, GatewayConfig config, Clock clock) {
    this.pool = pool;
    this.keys = keys;
    this.config = config;
    this.clock = clock;
  }

  void onStart(@Observes StartupEvent event) {
    String generated = run(config.bootstrapAdminKey().orElse(null));
    if (generated != null) {
      Log.warnf("""

          ================================================================================
            No platform admin key existed, so one was generated. It is shown only now:

              %s

            Use it as 'Authorization: Bearer <key>' on /api/v1/admin/**. Set
            CRM_BOOTSTRAP_ADMIN_KEY to choose the key yourself.
          ================================================================================""", generated);
    }
  }

  /**
   * Stores {@code configuredKey} (if given and new) or, when no active platform key exists,
   * generates one. Returns the generated key, or {@code null} when none was made.
   */
  String run(String configuredKey) {
    String configured = configuredKey == null || configuredKey.isBlank() ? null : configuredKey.trim();
    if (configured != null && (configured.length() < MIN_BOOTSTRAP_LENGTH || !ApiKeySecrets.wellFormed(configured))) {
      throw new IllegalStateException("CRM_BOOTSTRAP_ADMIN_KEY must be " + MIN_BOOTSTRAP_LENGTH
          + " to 256 characters of A-Z a-z 0-9 . _ ~ + / = - (e.g. crm_ followed by random base64url)");
    }
    return pool.withTransaction(conn -> lock(conn).chain(() -> ensure(conn, configured)))
        .await().atMost(Duration.ofSeconds(30));
  }

  /** Returns a newly generated key to show, or {@code null}. */
  private Uni<String> ensure(SqlConnection conn, String configured) {
    if (configured != null) {
      String hash = ApiKeySecrets.hash(configured);
      return keys.findByHash(conn, hash).chain(existing -> {
        if (existing == null) {
          Log.info("Stored the platform admin key from CRM_BOOTSTRAP_ADMIN_KEY");
          return insert(conn, "bootstrap (CRM_BOOTSTRAP_ADMIN_KEY)", hash).replaceWith((String) null);
        }
        if (existing.tenantId() != null) {
          throw new IllegalStateException("CRM_BOOTSTRAP_ADMIN_KEY equals a shop's API key; choose another value");
        }
        if (existing.revokedAt() != null) {
          // A revoked key stays revoked: whoever revoked it meant it. A new value is needed.
          Log.warn("CRM_BOOTSTRAP_ADMIN_KEY names a platform key that was revoked; it stays revoked. Set a new value.");
          return generateIfNone(conn);
        }
        return Uni.createFrom().nullItem();
      });
    }
    return generateIfNone(conn);
  }

  private Uni<String> generateIfNone(SqlConnection conn) {
    return keys.anyActivePlatformKey(conn).chain(any -> {
      if (any) {
        return Uni.createFrom().nullItem();
      }
      String key = ApiKeySecrets.generate();
      return insert(conn, "generated at first start", ApiKeySecrets.hash(key)).replaceWith(key);
    });
  }

  private Uni<?> insert(SqlConnection conn, String name, String hash) {
    return keys.insert(conn, UUID.randomUUID(), null, name, List.of(Roles.ADMIN), hash, OffsetDateTime.now(clock));
  }

  private static Uni<?> lock(SqlConnection conn) {
    return conn.query("SELECT pg_advisory_xact_lock(" + LOCK + ")").execute();
  }
}
