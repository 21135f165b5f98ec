package com.shopcrm.common.auth;

import com.shopcrm.common.tenant.TenantContext;
import io.smallrye.jwt.build.Jwt;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Signs the platform's internal tokens (ARCHITECTURE §3): RS256 with the internal private key,
 * issuer {@code shop-crm-gateway}, audience {@code shop-crm}, {@code sub}, {@code tenant_id},
 * {@code groups} (roles), a fresh {@code jti}, a short lifetime. The gateway signs one per client
 * request; order- and scoring-service sign their own for background calls (docs/SECURITY.md,
 * "Service tokens"). About 1 ms of CPU per token with a 2048-bit key, nearly all of it the RSA
 * signature (3–4 ms with the services' C1-only JIT): a service calling per event or per batch uses
 * {@link #reusable}, which hands out the same token for the first half of its lifetime.
 */
public final class InternalTokenIssuer {

  public static final String ISSUER = "shop-crm-gateway";
  public static final String AUDIENCE = "shop-crm";

  private final String issuer;
  private final String audience;
  private final PrivateKey key;
  private final String keyId;
  private final Duration lifetime;
  private final LongSupplier nanoClock;
  private final Map<Claims, Minted> recent = new ConcurrentHashMap<>();

  /** The claims a reused token is keyed by, and a token with the instant its reuse ends. */
  private record Claims(String subject, String tenantId, Set<String> roles) {
  }

  private record Minted(String token, long reuseUntil) {
  }

  /** Tenants a service signs for at once stay far below this; past it the reuse cache starts over. */
  private static final int MAX_REUSED = 10_000;

  public InternalTokenIssuer(String issuer, String audience, PrivateKey key, String keyId, Duration lifetime) {
    this(issuer, audience, key, keyId, lifetime, System::nanoTime);
  }

  InternalTokenIssuer(String issuer, String audience, PrivateKey key, String keyId, Duration lifetime,
      LongSupplier nanoClock) {
    this.issuer = issuer;
    this.audience = audience;
    this.key = key;
    this.keyId = keyId;
    this.lifetime = lifetime;
    this.nanoClock = nanoClock;
  }

  /** With the platform's issuer and audience. */
  public InternalTokenIssuer(PrivateKey key, String keyId, Duration lifetime) {
    this(ISSUER, AUDIENCE, key, keyId, lifetime);
  }

  /**
   * The token signed for the same subject, tenant and roles within the first half of its lifetime,
   * else a newly signed one: every token handed out has at least half its lifetime left (services
   * check signature, issuer, audience and expiry, not the {@code jti}).
   */
  public String reusable(String subject, String tenantId, Set<String> roles) {
    Claims claims = new Claims(subject, tenantId, Set.copyOf(roles));
    long now = nanoClock.getAsLong();
    Minted minted = recent.get(claims);
    if (minted != null && now - minted.reuseUntil() < 0) {
      return minted.token();
    }
    if (recent.size() >= MAX_REUSED) {
      recent.clear();
    }
    String token = sign(subject, tenantId, roles);
    recent.put(claims, new Minted(token, now + lifetime.toNanos() / 2));
    return token;
  }

  /** A newly signed token, with a fresh {@code jti}. */
  public String sign(String subject, String tenantId, Set<String> roles) {
    var claims = Jwt.issuer(issuer)
        .audience(audience)
        .subject(subject)
        .groups(roles)
        .claim("jti", UUID.randomUUID().toString())
        .expiresIn(lifetime);
    if (tenantId != null) {
      claims.claim(TenantContext.TENANT_CLAIM, tenantId);
    }
    var jws = claims.jws();
    if (keyId != null) {
      jws.keyId(keyId);
    }
    return jws.sign(key);
  }
}
