package com.shopcrm.common.auth;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The services' internal-token check (smallrye-jwt's parser, which Quarkus calls for every request)
 * with the tokens already verified remembered until they expire. Callers reuse a token for half its
 * 60 s lifetime (the gateway per API key, the services' own {@link InternalTokenIssuer#reusable}),
 * so a service used to repeat the same RS256 verification on every request: a quarter of
 * customer-service's CPU while order events arrived one per call (JFR, bench/order-import).
 *
 * <p>Keyed by the whole token text, so a hit is the very string whose signature, issuer, audience
 * and expiry were checked; a hit past the token's {@code exp} is verified again (and refused). At
 * most {@value #MAX_TOKENS} tokens are kept; beyond that the cache starts over.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache implements JWTParser {

  static final int MAX_TOKENS = 10_000;

  private final JWTParser verifier;
  private final LongSupplier epochSeconds;
  private final Map<String, JsonWebToken> verified = new ConcurrentHashMap<>();

  @Inject
  VerifiedTokenCache(DefaultJWTParser verifier) {
    this(verifier, () -> System.currentTimeMillis() / 1000);
  }

  VerifiedTokenCache(JWTParser verifier, LongSupplier epochSeconds) {
    this.verifier = verifier;
    this.epochSeconds = epochSeconds;
  }

  @Override
  public JsonWebToken parse(String token) throws ParseException {
    JsonWebToken known = verified.get(token);
    if (known != null && known.getExpirationTime() > epochSeconds.getAsLong()) {
      return known;
    }
    verified.remove(token);
    JsonWebToken jwt = verifier.parse(token);
    if (verified.size() >= MAX_TOKENS) {
      verified.clear();
    }
    verified.put(token, jwt);
    return jwt;
  }

  // ---------------------------------------------------------------- the rest as smallrye-jwt does it

  @Override
  public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
    return verifier.parse(token, context);
  }

  @Override
  public JsonWebToken verify(String token, PublicKey key) throws ParseException {
    return verifier.verify(token, key);
  }

  @Override
  public JsonWebToken verify(String token, SecretKey key) throws ParseException {
    return verifier.verify(token, key);
  }

  @Override
  public JsonWebToken verify(String token, String secret) throws ParseException {
    return verifier.verify(token, secret);
  }

  @Override
  public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
    return verifier.decrypt(token, key);
  }

  @Override
  public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
    return verifier.decrypt(token, key);
  }

  @Override
  public JsonWebToken decrypt(String token, String secret) throws ParseException {
    return verifier.decrypt(token, secret);
  }

  @Override
  public JsonWebToken parseOnly(String token) throws ParseException {
    return verifier.parseOnly(token);
  }
}
