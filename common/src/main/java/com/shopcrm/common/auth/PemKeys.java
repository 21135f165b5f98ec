package com.shopcrm.common.auth;

import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;

/**
 * Reads the internal-token signing key (PKCS#8 PEM) from a file path — as {@code ./crm up}, compose
 * and Kubernetes give it — or, failing that, from the class path (tests use
 * {@code crm-test-keys/privateKey.pem}); a {@code file:} or {@code classpath:} prefix is honoured.
 */
public final class PemKeys {

  private PemKeys() {
  }

  public static PrivateKey readPrivateKey(String location) {
    try {
      PrivateKey key = KeyUtils.decodePrivateKey(read(location));
      if (key == null) {
        throw new IllegalStateException("no PEM private key in it");
      }
      return key;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read the internal-token signing key at '" + location
          + "' (CRM_JWT_PRIVATE_KEY_LOCATION): " + e.getMessage(), e);
    }
  }

  private static String read(String location) throws IOException {
    if (location.startsWith("classpath:")) {
      return readResource(location.substring("classpath:".length()));
    }
    Path file = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
    if (Files.isRegularFile(file)) {
      return Files.readString(file, StandardCharsets.UTF_8);
    }
    return readResource(location);
  }

  private static String readResource(String name) throws IOException {
    String resource = name.startsWith("/") ? name.substring(1) : name;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("neither a file nor a class-path resource");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
