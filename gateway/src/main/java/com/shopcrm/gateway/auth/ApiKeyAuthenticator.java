package com.shopcrm.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.shopcrm.gateway.config.GatewayConfig;
import com.shopcrm.gateway.repository.ApiKeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;

/**
 * Turns an {@code Authorization: Bearer <api-key>} header into a {@link Caller}, or fails with
 * {@link Unauthenticated}. Known keys are remembered for a few seconds (at most 5) so a busy client
 * costs one indexed lookup per key per TTL; revoking through this instance forgets the key at once,
 * other instances within the TTL. Unknown keys are not remembered (there is no end of them).
 */
@ApplicationScoped
public class ApiKeyAuthenticator {

  private static final Duration MAX_TTL = Duration.ofSeconds(5);

  private final ApiKeyRepository keys;
  private final Cache<String, Caller> known;

  ApiKeyAuthenticator(ApiKeyRepository keys, GatewayConfig config) {
    this.keys = keys;
    Duration ttl = config.auth().cacheTtl();
    this.known = Caffeine.newBuilder()
        .expireAfterWrite(ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl)
        .maximumSize(config.auth().cacheSize())
        .build();
  }

  public Uni<Caller> authenticate(String authorization) {
    String key;
    try {
      key = bearerToken(authorization);
    } catch (Unauthenticated e) {
      return Uni.createFrom().failure(e);
    }
    String hash = ApiKeySecrets.hash(key);
    Caller cached = known.getIfPresent(hash);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return keys.findActiveByHash(hash).map(row -> {
      if (row == null) {
        throw new Unauthenticated("The API key is not valid (unknown or revoked).", true);
      }
      Caller caller = new Caller(row.id().toString(), row.tenantId(), Set.copyOf(row.roles()));
      known.put(hash, caller);
      return caller;
    });
  }

  /** Forgets a key at once (it was revoked). */
  public void forget(String keyHash) {
    known.invalidate(keyHash);
  }

  static String bearerToken(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw new Unauthenticated("An API key is required: send 'Authorization: Bearer <api-key>'.", false);
    }
    int space = authorization.indexOf(' ');
    if (space < 0 || !authorization.substring(0, space).equalsIgnoreCase("Bearer")) {
      throw new Unauthenticated("The Authorization header must be 'Bearer <api-key>'.", true);
    }
    String key = authorization.substring(space + 1).trim();
    if (!ApiKeySecrets.wellFormed(key)) {
      throw new Unauthenticated("The API key is not valid (not a key this platform issued).", true);
    }
    return key;
  }
}
