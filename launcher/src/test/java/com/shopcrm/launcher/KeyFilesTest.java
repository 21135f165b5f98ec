package com.shopcrm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {

  @TempDir
  Path dir;

  @Test
  void generatesAMatchingRsa2048PairInPem() throws Exception {
    KeyFiles files = KeyFiles.ensure(dir.resolve("keys"));

    String privatePem = Files.readString(files.privateKey());
    String publicPem = Files.readString(files.publicKey());
    assertTrue(privatePem.startsWith("-----BEGIN PRIVATE KEY-----\n"), privatePem);
    assertTrue(publicPem.startsWith("-----BEGIN PUBLIC KEY-----\n"), publicPem);

    KeyFactory rsa = KeyFactory.getInstance("RSA");
    var privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(der(privatePem)));
    var publicKey = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(der(publicPem)));
    assertEquals(2048, publicKey.getModulus().bitLength());

    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(privateKey);
    signer.update("token".getBytes());
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(publicKey);
    verifier.update("token".getBytes());
    assertTrue(verifier.verify(signature), "the public key verifies what the private key signs");
  }

  @Test
  void privateKeyIsReadableByItsOwnerOnly() throws Exception {
    KeyFiles files = KeyFiles.ensure(dir);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey())));
  }

  @Test
  void reusesTheExistingPair() throws Exception {
    KeyFiles first = KeyFiles.ensure(dir);
    String privatePem = Files.readString(first.privateKey());
    String publicPem = Files.readString(first.publicKey());

    KeyFiles second = KeyFiles.ensure(dir);

    assertEquals(privatePem, Files.readString(second.privateKey()));
    assertEquals(publicPem, Files.readString(second.publicKey()));
  }

  @Test
  void regeneratesBothWhenOneIsMissing() throws Exception {
    KeyFiles first = KeyFiles.ensure(dir);
    String publicPem = Files.readString(first.publicKey());
    Files.delete(first.privateKey());

    KeyFiles second = KeyFiles.ensure(dir);

    assertTrue(Files.isRegularFile(second.privateKey()));
    assertNotEquals(publicPem, Files.readString(second.publicKey()), "a lone public key no longer matches anything");
  }

  private static byte[] der(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }
}
