package com.shopcrm.common.auth;

import com.shopcrm.common.tenant.TenantContext;
import io.smallrye.jwt.build.Jwt;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * Signs the platform's internal tokens (ARCHITECTURE §3): RS256 with the internal private key,
 * issuer {@code shop-crm-gateway}, audience {@code shop-crm}, {@code sub}, {@code tenant_id},
 * {@code groups} (roles), a fresh {@code jti}, a short lifetime. The gateway signs one per client
 * request; order- and scoring-service sign their own for background calls (docs/SECURITY.md,
 * "Service tokens"). About 1 ms of CPU per token with a 2048-bit key, nearly all of it the RSA
 * signature.
 */
public final class InternalTokenIssuer {

  public static final String ISSUER = "shop-crm-gateway";
  public static final String AUDIENCE = "shop-crm";

  private final String issuer;
  private final String audience;
  private final PrivateKey key;
  private final String keyId;
  private final Duration lifetime;

  public InternalTokenIssuer(String issuer, String audience, PrivateKey key, String keyId, Duration lifetime) {
    this.issuer = issuer;
    this.audience = audience;
    this.key = key;
    this.keyId = keyId;
    this.lifetime = lifetime;
  }

  /** With the platform's issuer and audience. */
  public InternalTokenIssuer(PrivateKey key, String keyId, Duration lifetime) {
    this(ISSUER, AUDIENCE, key, keyId, lifetime);
  }

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
