package com.shopcrm.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

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
  /** What an API key may look like in a header: token68-ish characters, bounded length. */
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._~+/=-]{16,256}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeySecrets() {
  }

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Hex SHA-256 of the key: what the database holds and the lookup index is on. */
  public static String hash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  public static boolean wellFormed(String key) {
    return key != null && WELL_FORMED.matcher(key).matches();
  }
}
