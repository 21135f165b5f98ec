package com.shopcrm.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicInteger verifications = new AtomicInteger();

  /** A verifier that accepts tokens "good-<exp>" (expiring at that second) and refuses the rest. */
  private final DefaultJWTParser verifier = new DefaultJWTParser() {
    @Override
    public JsonWebToken parse(String token) throws ParseException {
      verifications.incrementAndGet();
      if (!token.startsWith("good-")) {
        throw new ParseException("bad signature");
      }
      long exp = Long.parseLong(token.substring(5));
      if (exp <= now.get()) {
        throw new ParseException("expired");
      }
      return jwt(token, exp);
    }
  };
  private final VerifiedTokenCache cache = new VerifiedTokenCache(verifier, now::get);

  @Test
  void verifiesATokenOnceWhileItIsValid() throws Exception {
    JsonWebToken first = cache.parse("good-1060");
    now.addAndGet(30);
    assertSame(first, cache.parse("good-1060"));
    assertEquals(1, verifications.get());
    assertEquals("good-1060", cache.parse("good-1060").getName());
  }

  @Test
  void anExpiredTokenIsCheckedAgainAndRefused() throws Exception {
    cache.parse("good-1060");
    now.set(1060);
    assertThrows(ParseException.class, () -> cache.parse("good-1060"));
    assertEquals(2, verifications.get());
  }

  @Test
  void aRefusedTokenIsNeverRemembered() {
    assertThrows(ParseException.class, () -> cache.parse("forged"));
    assertThrows(ParseException.class, () -> cache.parse("forged"));
    assertEquals(2, verifications.get());
  }

  @Test
  void eachTokenTextIsItsOwnEntry() throws Exception {
    JsonWebToken a = cache.parse("good-1060");
    JsonWebToken b = cache.parse("good-1061");
    assertEquals("good-1060", a.getName());
    assertEquals("good-1061", b.getName());
    assertEquals(2, verifications.get());
  }

  private static JsonWebToken jwt(String name, long exp) {
    Map<String, Object> claims = Map.of("exp", exp, "sub", name);
    return new JsonWebToken() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public Set<String> getClaimNames() {
        return claims.keySet();
      }

      @Override
      @SuppressWarnings("unchecked")
      public <T> T getClaim(String claimName) {
        return (T) claims.get(claimName);
      }
    };
  }
}
