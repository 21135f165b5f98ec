package com.shopcrm.gateway.auth;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.shopcrm.common.auth.InternalTokenIssuer;
import com.shopcrm.common.auth.PemKeys;
import com.shopcrm.gateway.config.GatewayConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The short-lived internal token (RS256) that tells a service who is calling: {@code sub} = API key
 * id, {@code tenant_id}, {@code groups} = roles, a {@code jti}, 60 s by default.
 *
 * <p>Signing costs about a millisecond of CPU with a 2048-bit key once compiled, and far more the
 * first times (it runs rarely, so the JIT gets to it late: one mint took ~60 ms of an event loop in
 * the profile of docs/BENCHMARKS.md, "Gateway"). So tokens are minted on a worker thread, never on
 * an event loop, and a caller's token is reused (services check signature, issuer, audience and
 * expiry, not the {@code jti}):
 * <ul>
 *   <li>a token is handed out for at most half its lifetime after it was signed, so every token a
 *       service sees has at least half its lifetime left (30 s of 60 s);</li>
 *   <li>from 40% of its lifetime on, the first request that uses it has a new one signed in the
 *       background, and keeps being served the current one meanwhile: a busy caller never waits for
 *       a signature;</li>
 *   <li>a caller (key, shop, roles) is the cache key: keys and shops never share a token.</li>
 * </ul>
 * Created at start, so a missing or unreadable key stops the gateway with a clear message instead of
 * failing its first request.
 */
@Startup
@ApplicationScoped
public class InternalTokenSigner {

  private final Function<Caller, String> mint;
  private final AsyncLoadingCache<Caller, String> tokens;

  @Inject
  InternalTokenSigner(GatewayConfig config) {
    this(issuer(config), config.jwt().lifetime(), Ticker.systemTicker(),
        // the Quarkus worker pool, looked up when first needed (Mutiny's is set while Quarkus starts)
        task -> Infrastructure.getDefaultWorkerPool().execute(task));
  }

  /** With the minting, the clock and the threads given (tests). */
  InternalTokenSigner(Function<Caller, String> mint, Duration lifetime, Ticker ticker, Executor executor) {
    this.mint = mint;
    this.tokens = Caffeine.newBuilder()
        .expireAfterWrite(lifetime.dividedBy(2))
        .refreshAfterWrite(lifetime.multipliedBy(2).dividedBy(5))
        .maximumSize(100_000)
        .ticker(ticker)
        .executor(executor)
        .buildAsync(mint::apply);
  }

  private static Function<Caller, String> issuer(GatewayConfig config) {
    GatewayConfig.Jwt jwt = config.jwt();
    InternalTokenIssuer issuer = new InternalTokenIssuer(jwt.issuer(), jwt.audience(),
        PemKeys.readPrivateKey(jwt.privateKeyLocation()), jwt.keyId().orElse(null), jwt.lifetime());
    return caller -> issuer.sign(caller.keyId(), caller.tenantId(), caller.roles());
  }

  /**
   * A token for the caller: complete at once when one is at hand (the usual case), else completed by
   * a worker thread once signed. Never signs on the calling thread.
   */
  public CompletableFuture<String> token(Caller caller) {
    return tokens.get(caller);
  }

  /** A newly signed token (no reuse), on the calling thread. */
  public String mint(Caller caller) {
    return mint.apply(caller);
  }
}
