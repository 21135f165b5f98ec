package com.shopcrm.order.client;

import com.shopcrm.common.tenant.Roles;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.order.config.OrderConfig;
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
 * Internal tokens order-service signs itself (RS256, the platform's internal private key at
 * {@code CRM_JWT_PRIVATE_KEY_LOCATION}) for calls it makes outside a request: an import job calls
 * customer-service long after the gateway's 60 s token expired. Claims as the gateway's (ARCHITECTURE
 * §3): issuer {@code shop-crm-gateway}, audience {@code shop-crm}, {@code sub}
 * {@code service:order-service}, the job's {@code tenant_id}, groups [integration], a {@code jti},
 * 60 s lifetime; a fresh token per call. Without a configured key it answers empty: background
 * customer calls skip and an import that needs customer-service fails saying why.
 */
@ApplicationScoped
public class SignedServiceTokens implements ServiceTokens {

  static final String ISSUER = "shop-crm-gateway";
  static final String AUDIENCE = "shop-crm";
  static final long LIFETIME_SECONDS = 60;

  private final PrivateKey key;
  private final String subject;

  SignedServiceTokens(OrderConfig config) {
    this.subject = config.serviceToken().subject();
    this.key = config.serviceToken().privateKeyLocation().map(SignedServiceTokens::load).orElse(null);
    if (key == null) {
      Log.info("no internal private key configured (CRM_JWT_PRIVATE_KEY_LOCATION): background calls to "
          + "customer-service are off");
    }
  }

  @Override
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
        .jws().keyId("order-service")
        .sign(key);
    return Optional.of("Bearer " + token);
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
