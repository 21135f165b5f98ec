package com.shopcrm.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The RSA key pair of the internal tokens: the gateway, order-service and scoring-service sign with
 * {@code privateKey.pem} (PKCS#8, {@link ServiceSpec#TOKEN_SIGNERS}), every service verifies with
 * {@code publicKey.pem} (X.509 SubjectPublicKeyInfo). Generated on the
 * first start and reused after, so tokens stay valid across restarts of single services.
 */
public record KeyFiles(Path privateKey, Path publicKey) {

  private static final int KEY_SIZE = 2048;

  /** The key files in {@code dir}, generated there first if either is missing. */
  public static KeyFiles ensure(Path dir) {
    KeyFiles files = new KeyFiles(dir.resolve("privateKey.pem"), dir.resolve("publicKey.pem"));
    if (Files.isRegularFile(files.privateKey) && Files.isRegularFile(files.publicKey)) {
      return files;
    }
    try {
      Files.createDirectories(dir);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(KEY_SIZE);
      KeyPair pair = generator.generateKeyPair();
      // getEncoded() of an RSA private key is PKCS#8, of a public key X.509 SubjectPublicKeyInfo.
      SecretFiles.write(files.privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      Files.writeString(files.publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()),
          StandardCharsets.US_ASCII);
      return files;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no RSA", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the key pair to " + dir, e);
    }
  }

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
