package com.shopcrm.e2e.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Internal tokens made by hand for the direct-port checks: RS256 JWTs with the platform's claims
 * (docs/SECURITY.md, "Internal tokens"), signed with the platform's own key (to show expiry, issuer
 * and audience are checked) or with a key of our own (a forgery).
 */
final class Tokens {

  private Tokens() {
  }

  static PrivateKey platformKey(Path pem) {
    try {
      String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the platform's private key " + pem, e);
    }
  }

  static PrivateKey forgedKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair().getPrivate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The claims the gateway puts in a token, valid from now for 60 s. */
  static Map<String, Object> claims(String tenantId, List<String> roles) {
    long now = System.currentTimeMillis() / 1000;
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", "shop-crm-gateway");
    claims.put("aud", "shop-crm");
    claims.put("sub", UUID.randomUUID().toString());
    claims.put("tenant_id", tenantId);
    claims.put("groups", roles);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("iat", now);
    claims.put("exp", now + 60);
    return claims;
  }

  static String sign(Map<String, Object> claims, PrivateKey key) {
    String signingInput = part(Map.of("alg", "RS256", "typ", "JWT")) + "." + part(claims);
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}) with the given claims. */
  static String unsigned(Map<String, Object> claims) {
    return part(Map.of("alg", "none", "typ", "JWT")) + "." + part(claims) + ".";
  }

  private static String part(Object json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Http.utf8(Http.toJson(json)));
  }
}
