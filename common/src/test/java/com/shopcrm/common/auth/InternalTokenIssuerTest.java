package com.shopcrm.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InternalTokenIssuerTest {

  private static PrivateKey key;
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final InternalTokenIssuer issuer = new InternalTokenIssuer(InternalTokenIssuer.ISSUER,
      InternalTokenIssuer.AUDIENCE, key, null, Duration.ofSeconds(60), nanos::get);

  @BeforeAll
  static void generateKey() throws Exception {
    var pair = KeyPairGenerator.getInstance("RSA");
    pair.initialize(2048);
    key = pair.generateKeyPair().getPrivate();
  }

  @Test
  void reusesATokenForTheFirstHalfOfItsLifetime() {
    String first = issuer.reusable("service:order-service", "shop-a", Set.of("integration"));
    nanos.addAndGet(Duration.ofSeconds(29).toNanos());
    assertEquals(first, issuer.reusable("service:order-service", "shop-a", Set.of("integration")));

    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    String second = issuer.reusable("service:order-service", "shop-a", Set.of("integration"));
    assertNotEquals(first, second);
    assertEquals(second, issuer.reusable("service:order-service", "shop-a", Set.of("integration")));
  }

  @Test
  void neverHandsOneTenantsTokenToAnother() {
    String a = issuer.reusable("service:order-service", "shop-a", Set.of("integration"));
    String b = issuer.reusable("service:order-service", "shop-b", Set.of("integration"));
    assertNotEquals(a, b);
    assertTrue(claims(a).contains("\"tenant_id\":\"shop-a\""), claims(a));
    assertTrue(claims(b).contains("\"tenant_id\":\"shop-b\""), claims(b));
    assertNotEquals(a, issuer.reusable("service:order-service", "shop-a", Set.of("admin")));
    assertNotEquals(a, issuer.reusable("service:scoring-service", "shop-a", Set.of("integration")));
  }

  @Test
  void signAlwaysMintsAFreshToken() {
    String reused = issuer.reusable("s", "shop-a", Set.of("integration"));
    assertNotEquals(reused, issuer.sign("s", "shop-a", Set.of("integration")));
    assertNotEquals(issuer.sign("s", "shop-a", Set.of("integration")), issuer.sign("s", "shop-a", Set.of("integration")));
  }

  private static String claims(String token) {
    return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
  }
}
