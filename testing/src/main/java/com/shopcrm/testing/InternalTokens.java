package com.shopcrm.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.Set;
import java.util.UUID;

/**
 * Internal tokens as the gateway mints them, signed with the test-only key in
 * {@code crm-test-keys/}, for calling a service directly in its tests.
 */
public final class InternalTokens {

  public static final String ISSUER = "shop-crm-gateway";
  public static final String AUDIENCE = "shop-crm";

  private static PrivateKey key;

  private InternalTokens() {
  }

  /** {@code Authorization} header value for the tenant with the given roles. */
  public static String bearer(String tenantId, String... roles) {
    return "Bearer " + token(tenantId, roles);
  }

  public static String token(String tenantId, String... roles) {
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("test-key")
        .claim("tenant_id", tenantId)
        .groups(Set.of(roles))
        .expiresIn(300)
        .jws().keyId("crm-test")
        .sign(privateKey());
  }

  /** A tenant id no other test run has used: keeps runs on a shared database apart. */
  public static String newTenant(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static synchronized PrivateKey privateKey() {
    if (key == null) {
      try (InputStream in = InternalTokens.class.getResourceAsStream("/crm-test-keys/privateKey.pem")) {
        key = KeyUtils.decodePrivateKey(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    return key;
  }
}
