package com.shopcrm.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The platform admin key handed to the gateway as {@code CRM_BOOTSTRAP_ADMIN_KEY}: the one in the
 * environment when set, else the one saved by an earlier start, else a new one, saved (0600) so
 * the next start uses it again.
 */
public record AdminKey(String value, Source source) {

  public enum Source { ENVIRONMENT, SAVED, GENERATED }

  public static final String PREFIX = "crm_admin_";
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int RANDOM_CHARS = 40; // ~238 bits
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * @param fromEnvironment the value of {@code CRM_BOOTSTRAP_ADMIN_KEY}, or null
   * @param savedFile where the generated key is kept ({@code .crm/admin-key})
   */
  public static AdminKey resolve(String fromEnvironment, Path savedFile) {
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return new AdminKey(fromEnvironment.trim(), Source.ENVIRONMENT);
    }
    try {
      if (Files.isRegularFile(savedFile)) {
        String saved = Files.readString(savedFile, StandardCharsets.UTF_8).trim();
        if (!saved.isEmpty()) {
          return new AdminKey(saved, Source.SAVED);
        }
      }
      String generated = generate();
      SecretFiles.write(savedFile, generated + "\n");
      return new AdminKey(generated, Source.GENERATED);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or save the admin key at " + savedFile, e);
    }
  }

  static String generate() {
    StringBuilder key = new StringBuilder(PREFIX);
    for (int i = 0; i < RANDOM_CHARS; i++) {
      key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return key.toString();
  }
}
