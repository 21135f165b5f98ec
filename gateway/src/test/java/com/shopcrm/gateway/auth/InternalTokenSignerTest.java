package com.shopcrm.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.common.auth.InternalTokenIssuer;
import com.shopcrm.common.auth.PemKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache of signed internal tokens, on a clock the test moves (60 s tokens, as configured by default). */
class InternalTokenSignerTest {

  private static final Duration LIFETIME = Duration.ofSeconds(60);
  private static final Caller SHOP_A = new Caller("key-1", "shop-a", Set.of("marketer"));

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicInteger minted = new AtomicInteger();
  /** A fake token that tells who it is for and when it was signed: caller|signed-at-seconds|n. */
  private final InternalTokenSigner signer = new InternalTokenSigner(
      caller -> caller.keyId() + "/" + caller.tenantId() + "/" + caller.roles() + "|" + seconds() + "|" + minted.incrementAndGet(),
      LIFETIME, nanos::get, Runnable::run);

  private long seconds() {
    return nanos.get() / 1_000_000_000L;
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  private String token(Caller caller) {
    CompletableFuture<String> f = signer.token(caller);
    assertTrue(f.isDone(), "a direct executor signs at once");
    return f.join();
  }

  private static void runAll(List<Runnable> tasks) {
    while (!tasks.isEmpty()) {
      tasks.remove(0).run();
    }
  }

  private static long signedAt(String token) {
    return Long.parseLong(token.split("\\|")[1]);
  }

  @Test
  void reusesACallersTokenWithinItsFirstPart() {
    String first = token(SHOP_A);
    advance(Duration.ofSeconds(10));
    assertEquals(first, token(SHOP_A));
    advance(Duration.ofSeconds(13)); // 23 s: still before 40% of the lifetime
    assertEquals(first, token(SHOP_A));
    assertEquals(1, minted.get());
  }

  @Test
  void signsANewTokenInTheBackgroundFrom40PercentOfItsLifetime() {
    List<Runnable> background = new ArrayList<>();
    Executor later = background::add;
    InternalTokenSigner deferred = new InternalTokenSigner(
        caller -> "token|" + seconds() + "|" + minted.incrementAndGet(), LIFETIME, nanos::get, later);
    CompletableFuture<String> firstCall = deferred.token(SHOP_A);
    assertFalse(firstCall.isDone(), "the first token is signed on a worker, not on the calling thread");
    runAll(background);
    String first = firstCall.join();
    assertEquals(1, minted.get());

    advance(Duration.ofSeconds(25)); // past 24 s: the next use starts a new signature...
    CompletableFuture<String> during = deferred.token(SHOP_A);
    assertTrue(during.isDone(), "...and is answered with the current token meanwhile");
    assertEquals(first, during.join());
    assertEquals(1, minted.get(), "not signed on the calling thread");
    runAll(background);
    assertEquals(2, minted.get());
    String second = deferred.token(SHOP_A).join();
    assertNotEquals(first, second);
    assertEquals(signedAt(first) + 25, signedAt(second));
  }

  @Test
  void neverHandsOutATokenWithLessThanHalfItsLifetimeLeft() {
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      advance(Duration.ofMillis(random.nextInt(random.nextBoolean() ? 2_000 : 70_000)));
      String token = token(SHOP_A);
      long age = seconds() - signedAt(token);
      assertTrue(age <= LIFETIME.toSeconds() / 2, "token " + age + " s old handed out at step " + i);
    }
  }

  @Test
  void anIdleCallerGetsAFreshTokenNotAStaleOne() {
    String first = token(SHOP_A);
    advance(Duration.ofSeconds(31)); // unused past half the lifetime: expired, not refreshed
    String next = token(SHOP_A);
    assertNotEquals(first, next);
    assertEquals(seconds(), signedAt(next));
  }

  @Test
  void keysShopsAndRolesNeverShareAToken() {
    String a = token(SHOP_A);
    String otherShop = token(new Caller("key-1", "shop-b", Set.of("marketer")));
    String otherKey = token(new Caller("key-2", "shop-a", Set.of("marketer")));
    String otherRoles = token(new Caller("key-1", "shop-a", Set.of("marketer", "admin")));
    assertEquals(4, Set.of(a, otherShop, otherKey, otherRoles).size());
    assertTrue(otherShop.startsWith("key-1/shop-b/"), otherShop);
    assertEquals(a, token(new Caller("key-1", "shop-a", Set.of("marketer"))), "an equal caller shares it");
  }

  @Test
  void realTokensCarryTheCallersShop() {
    InternalTokenIssuer issuer = new InternalTokenIssuer(PemKeys.readPrivateKey("crm-test-keys/privateKey.pem"),
        null, LIFETIME);
    InternalTokenSigner real = new InternalTokenSigner(
        c -> issuer.sign(c.keyId(), c.tenantId(), c.roles()), LIFETIME, nanos::get, Runnable::run);
    String a = real.token(SHOP_A).join();
    String b = real.token(new Caller("key-9", "shop-b", Set.of("analyst"))).join();
    assertTrue(claims(a).contains("\"tenant_id\":\"shop-a\""), claims(a));
    assertTrue(claims(b).contains("\"tenant_id\":\"shop-b\""), claims(b));
    assertTrue(claims(b).contains("\"sub\":\"key-9\""), claims(b));
  }

  private static String claims(String jwt) {
    return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
  }
}
