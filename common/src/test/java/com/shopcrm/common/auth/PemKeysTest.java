package com.shopcrm.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeysTest {

  @Test
  void readsAKeyFromAFilePathAsTheLauncherWritesIt(@TempDir Path dir) throws Exception {
    var pair = KeyPairGenerator.getInstance("RSA");
    pair.initialize(2048);
    var key = pair.generateKeyPair().getPrivate();
    Path file = dir.resolve("privateKey.pem");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n");

    assertEquals(key, PemKeys.readPrivateKey(file.toString()));
    assertEquals(key, PemKeys.readPrivateKey("file:" + file));
  }

  @Test
  void namesTheLocationWhenThereIsNoKey(@TempDir Path dir) {
    var e = assertThrows(IllegalStateException.class, () -> PemKeys.readPrivateKey(dir.resolve("missing.pem").toString()));
    assertTrue(e.getMessage().contains("missing.pem"), e.getMessage());
  }
}
