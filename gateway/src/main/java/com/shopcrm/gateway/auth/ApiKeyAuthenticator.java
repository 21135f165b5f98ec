package com.shopcrm.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.shopcrm.gateway.config.GatewayConfig;
import com.shopcrm.gateway.repository.ApiKeyRepository;
import com.shopcrm.gateway.repository.ApiKeyRepository.ApiKeyRow;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns an {@code Authorization: Bearer <api-key>} header into a {@link Caller}, or fails with
 * {@link Unauthenticated}. Known keys are remembered for a few seconds (at most {@link #MAX_TTL}, 5 s)
 * so a busy client costs one indexed lookup per key per TTL; revoking through this instance forgets
 * the key at once, other instances (replicas) refuse it at the latest when their entry expires, within
 * the TTL. Unknown and revoked keys are not remembered (there is no end of them), so a key is never
 * accepted from the cache after a lookup found it revoked.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {

  /** The longest a key revoked on another replica can still be accepted here. */
  public static final Duration MAX_TTL = Duration.ofSeconds(5);

  private final Function<String, Uni<ApiKeyRow>> findActiveByHash;
  private final Cache<String, Caller> known;

  @Inject
  ApiKeyAuthenticator(ApiKeyRepository keys, GatewayConfig config) {
    this(keys::findActiveByHash, config.auth().cacheTtl(), config.auth().cacheSize(), Ticker.systemTicker());
  }

  /** With the lookup by key hash and the clock given (tests). */
  ApiKeyAuthenticator(Function<String, Uni<ApiKeyRow>> findActiveByHash, Duration ttl, int size, Ticker ticker) {
    this.findActiveByHash = findActiveByHash;
    this.known = Caffeine.newBuilder()
        .expireAfterWrite(ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl)
        .maximumSize(size)
        .ticker(ticker)
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
    return findActiveByHash.apply(hash).map(row -> {
      if (row == null) {
        throw new Unauthenticated("The API key is not valid (unknown or revoked).", true);
      }
      Caller caller = new Caller(row.id().toString(), row.tenantId(), Set.copyOf(row.roles()));
      known.put(hash, caller);
      return caller;
    });
  }

  /**
   * The caller of a key verified within the TTL, or {@code null} (malformed header, unknown key, not
   * looked up lately): then {@link #authenticate} decides. Never does I/O and never throws, so the
   * front route can answer a busy client without a reactive pipeline.
   */
  public Caller cached(String authorization) {
    if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String key = authorization.substring(7).trim();
    return ApiKeySecrets.wellFormed(key) ? known.getIfPresent(ApiKeySecrets.hash(key)) : null;
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
