package com.shopcrm.scoring.client;

import com.shopcrm.common.tenant.Roles;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.scoring.config.ScoringConfig;
import io.quarkus.logging.Log;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Internal tokens scoring-service signs itself (RS256, the platform's internal private key at
 * {@code CRM_JWT_PRIVATE_KEY_LOCATION}), copied from order-service's approach, for the calls it
 * makes outside a request: a resync job pages through order-service's event replay long after the
 * gateway's 60 s token expired. Claims as the gateway's (ARCHITECTURE §3): issuer
 * {@code shop-crm-gateway}, audience {@code shop-crm}, {@code sub} {@code service:scoring-service},
 * the job's {@code tenant_id}, groups [integration], a {@code jti}, 60 s lifetime; a fresh token per
 * call. Without a configured key it answers empty and a resync is refused (503).
 */
@ApplicationScoped
public class ServiceTokens {

  static final String ISSUER = "shop-crm-gateway";
  static final String AUDIENCE = "shop-crm";
  static final long LIFETIME_SECONDS = 60;

  private final PrivateKey key;
  private final String subject;

  ServiceTokens(ScoringConfig config) {
    this.subject = config.serviceToken().subject();
    this.key = config.serviceToken().privateKeyLocation().map(ServiceTokens::load).orElse(null);
    if (key == null) {
      Log.info("no internal private key configured (CRM_JWT_PRIVATE_KEY_LOCATION): resync from "
          + "order-service is off");
    }
  }

  /** The {@code Authorization} header value for the tenant, or empty when no key is configured. */
  public Optional<String> authorizationFor(String tenantId) {
    if (key == null) {
      return Optional.empty();
    }
    String token = Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .claim(TenantContext.TENANT_CLAIM, tenantId)
        .groups(Set.of(Roles.INTEGRATION))
        .claim("jti", UUID.randomUUID().toString())
        .expiresIn(LIFETIME_SECONDS)
        .jws().keyId("scoring-service")
        .sign(key);
    return Optional.of("Bearer " + token);
  }

  public boolean available() {
    return key != null;
  }

  /** A PEM file path, or a {@code classpath:} resource (tests). */
  private static PrivateKey load(String location) {
    try {
      String pem;
      if (location.startsWith("classpath:") || !Files.exists(Path.of(location))) {
        String resource = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource.startsWith("/") ? resource.substring(1) : resource)) {
          if (in == null) {
            throw new IllegalStateException("internal private key not found: " + location);
          }
          pem = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } else {
        pem = Files.readString(Path.of(location), StandardCharsets.UTF_8);
      }
      return KeyUtils.decodePrivateKey(pem);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the internal private key " + location, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("not a PEM private key: " + location, e);
    }
  }
}
