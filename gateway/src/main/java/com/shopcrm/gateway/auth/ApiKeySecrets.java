package com.shopcrm.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Making and hashing API keys. A key is {@code crm_} + 32 random bytes (base64url), shown once and
 * stored only as its SHA-256.
 *
 * <p>A plain, fast hash is the right tool here, unlike for passwords: the keys are 256-bit random
 * values, so there is no dictionary to try and a slow hash (bcrypt, Argon2) would protect nothing
 * while costing every request. It also lets the lookup be an indexed equality on the hash.
 */
public final class ApiKeySecrets {

  public static final String PREFIX = "crm_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  });

  private ApiKeySecrets() {
  }

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Hex SHA-256 of the key: what the database holds and the lookup index is on. */
  public static String hash(String key) {
    // one digest per thread: MessageDigest.getInstance looks the algorithm up among the providers
    // on every call, which cost more than the hash itself on the gateway's per-request path
    MessageDigest sha256 = SHA256.get();
    sha256.reset();
    return HEX.formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether the key may be one this platform issued: token68-ish characters, 16 to 256 of them. */
  public static boolean wellFormed(String key) {
    if (key == null || key.length() < 16 || key.length() > 256) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
