package com.shopcrm.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {

  @Test
  void generatesCrmPrefixedKeysOf32RandomBytes() {
    String a = ApiKeySecrets.generate();
    String b = ApiKeySecrets.generate();
    assertTrue(a.matches("crm_[A-Za-z0-9_-]{43}"), a);
    assertNotEquals(a, b);
    assertTrue(ApiKeySecrets.wellFormed(a));
  }

  @Test
  void hashesWithSha256Hex() {
    // SHA-256("abc"), FIPS 180-2 test vector
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeySecrets.hash("abc"));
  }

  @Test
  void wellFormedMeansToken68CharactersSixteenTo256OfThem() {
    java.util.regex.Pattern rule = java.util.regex.Pattern.compile("[A-Za-z0-9._~+/=-]{16,256}");
    java.util.Random random = new java.util.Random(42);
    String alphabet = "abcXYZ019._~+/=- \t\u00e9%:;@\"'";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder key = new StringBuilder();
      int length = random.nextInt(4) == 0 ? random.nextInt(300) : 10 + random.nextInt(20);
      for (int j = 0; j < length; j++) {
        key.append(random.nextInt(10) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
            : alphabet.charAt(random.nextInt(16)));
      }
      assertEquals(rule.matcher(key).matches(), ApiKeySecrets.wellFormed(key.toString()), key.toString());
    }
    assertFalse(ApiKeySecrets.wellFormed(null));
  }

  @Test
  void hashesTheSameOnEveryThread() throws Exception {
    String key = ApiKeySecrets.generate();
    String here = ApiKeySecrets.hash(key);
    assertEquals(here, ApiKeySecrets.hash(key));
    java.util.concurrent.CompletableFuture<String> there =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> ApiKeySecrets.hash(key));
    assertEquals(here, there.get());
  }

  @Test
  void readsOnlyWellFormedBearerHeaders() {
    String key = ApiKeySecrets.generate();
    assertEquals(key, ApiKeyAuthenticator.bearerToken("Bearer " + key));
    assertEquals(key, ApiKeyAuthenticator.bearerToken("bearer " + key));
    Unauthenticated missing = assertThrows(Unauthenticated.class, () -> ApiKeyAuthenticator.bearerToken(null));
    assertFalse(missing.credentialsGiven());
    for (String bad : new String[] {"Basic " + key, "Bearer", "Bearer short", "Bearer " + key + " extra", key}) {
      Unauthenticated e = assertThrows(Unauthenticated.class, () -> ApiKeyAuthenticator.bearerToken(bad), bad);
      assertTrue(e.credentialsGiven());
    }
  }
}
