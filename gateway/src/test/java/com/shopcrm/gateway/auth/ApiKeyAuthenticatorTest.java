package com.shopcrm.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.shopcrm.gateway.repository.ApiKeyRepository.ApiKeyRow;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The few seconds a verified key is remembered: revocation, expiry, shops kept apart (clock moved by the test). */
class ApiKeyAuthenticatorTest {

  /** The active keys as the database holds them, by hash; removing one is revoking it (on another replica). */
  private final Map<String, ApiKeyRow> active = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
  private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(hash -> {
    lookups.incrementAndGet();
    return Uni.createFrom().item(active.get(hash));
  }, Duration.ofSeconds(5), 1000, nanos::get);

  private String issue(String tenant, String... roles) {
    String key = ApiKeySecrets.generate();
    active.put(ApiKeySecrets.hash(key), new ApiKeyRow(1, UUID.randomUUID(), tenant, "k", List.of(roles),
        OffsetDateTime.now(), null));
    return key;
  }

  private Caller authenticate(String key) {
    return authenticator.authenticate("Bearer " + key).await().indefinitely();
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void aVerifiedKeyIsServedFromMemoryWithinTheTtl() {
    String key = issue("shop-a", "marketer");
    assertNull(authenticator.cached("Bearer " + key), "not looked up yet");
    Caller caller = authenticate(key);
    assertEquals("shop-a", caller.tenantId());
    advance(Duration.ofSeconds(4));
    assertEquals(caller, authenticator.cached("Bearer " + key));
    assertEquals(caller, authenticator.cached("bearer  " + key + " "), "as leniently as authenticate reads it");
    assertEquals(caller, authenticate(key));
    assertEquals(1, lookups.get());
  }

  @Test
  void aKeyRevokedHereIsRefusedAtOnce() {
    String key = issue("shop-a", "agent");
    authenticate(key);
    active.remove(ApiKeySecrets.hash(key));
    authenticator.forget(ApiKeySecrets.hash(key)); // what ApiKeyService.revoke does
    assertNull(authenticator.cached("Bearer " + key));
    assertThrows(Unauthenticated.class, () -> authenticate(key));
  }

  @Test
  void aKeyRevokedOnAnotherReplicaIsRefusedWithinFiveSeconds() {
    String key = issue("shop-a", "agent");
    authenticate(key);
    active.remove(ApiKeySecrets.hash(key)); // revoked elsewhere: this instance is not told
    advance(Duration.ofMillis(4_900));
    assertNotNull(authenticator.cached("Bearer " + key), "still remembered within the TTL (the documented bound)");
    advance(Duration.ofMillis(101));
    assertNull(authenticator.cached("Bearer " + key));
    assertThrows(Unauthenticated.class, () -> authenticate(key));
    assertThrows(Unauthenticated.class, () -> authenticate(key));
    assertEquals(3, lookups.get(), "a refused key is looked up again each time, never remembered");
  }

  @Test
  void theTtlIsCappedAtFiveSeconds() {
    AtomicInteger calls = new AtomicInteger();
    String key = ApiKeySecrets.generate();
    ApiKeyRow row = new ApiKeyRow(1, UUID.randomUUID(), "shop-a", "k", List.of("agent"), OffsetDateTime.now(), null);
    ApiKeyAuthenticator lax = new ApiKeyAuthenticator(hash -> {
      calls.incrementAndGet();
      return Uni.createFrom().item(row);
    }, Duration.ofMinutes(10), 1000, nanos::get);
    lax.authenticate("Bearer " + key).await().indefinitely();
    advance(ApiKeyAuthenticator.MAX_TTL.plusMillis(1));
    assertNull(lax.cached("Bearer " + key));
  }

  @Test
  void eachKeyIsItsOwnShopsCaller() {
    String a = issue("shop-a", "marketer");
    String b = issue("shop-b", "admin");
    authenticate(a);
    authenticate(b);
    assertEquals("shop-a", authenticator.cached("Bearer " + a).tenantId());
    assertEquals("shop-b", authenticator.cached("Bearer " + b).tenantId());
    assertEquals(java.util.Set.of("admin"), authenticator.cached("Bearer " + b).roles());
  }

  @Test
  void unknownOrMalformedKeysAreNeverAnsweredFromMemory() {
    String unknown = ApiKeySecrets.generate();
    assertThrows(Unauthenticated.class, () -> authenticate(unknown));
    assertNull(authenticator.cached("Bearer " + unknown));
    String key = issue("shop-a", "agent");
    authenticate(key);
    for (String header : new String[] {null, "", "Bearer", "Basic " + key, key, "Bearer\t" + key, "Bearer " + key + " x",
        "Bearer " + key + "\u00e9"}) {
      assertNull(authenticator.cached(header), String.valueOf(header));
    }
  }
}
