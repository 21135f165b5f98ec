package com.shopcrm.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.shopcrm.gateway.config.GatewayConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Token buckets (Bucket4j, lock-free, never blocks the event loop) per API key and per shop, in this
 * gateway's memory: with N replicas a client may get N times the rate (the next step is Bucket4j's
 * PostgreSQL or Redis proxy manager, shared by the replicas). A request takes one token from its
 * key's bucket, then one from its shop's; the first empty bucket refuses it. Buckets of keys and
 * shops idle for ten minutes are dropped (a full bucket is what a new one would be).
 */
@ApplicationScoped
public class RateLimiter {

  /** What one request learned: allowed or not, and what the RateLimit headers say. */
  public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds,
                         String scope) {
  }

  private record Limited(Bucket bucket, long perSecond, long burst) {
  }

  private final boolean enabled;
  private final GatewayConfig.RateLimit defaults;
  private final Cache<String, Limited> keys;
  private final Cache<String, Limited> tenants;

  RateLimiter(GatewayConfig config) {
    this.defaults = config.rateLimit();
    this.enabled = defaults.enabled();
    this.keys = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(200_000).build();
    this.tenants = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();
  }

  /**
   * Takes a token for a request of the key (and its shop, when it has one). {@code tenantPerSecond}
   * and {@code keyPerSecond} are the shop's own limits, {@code null} for the defaults.
   */
  public Decision acquire(String keyId, String tenantId, Integer tenantPerSecond, Integer keyPerSecond) {
    if (!enabled) {
      return null;
    }
    long keyRate = keyPerSecond != null ? keyPerSecond : defaults.keyPerSecond();
    long keyBurst = scaledBurst(keyRate, defaults.keyPerSecond(), defaults.keyBurst());
    Decision key = take(keys, keyId, keyRate, keyBurst, "key");
    if (!key.allowed() || tenantId == null) {
      return key;
    }
    long tenantRate = tenantPerSecond != null ? tenantPerSecond : defaults.tenantPerSecond();
    long tenantBurst = scaledBurst(tenantRate, defaults.tenantPerSecond(), defaults.tenantBurst());
    Decision tenant = take(tenants, tenantId, tenantRate, tenantBurst, "tenant");
    // the headers tell the tighter of the two
    return !tenant.allowed() || tenant.remaining() < key.remaining() ? tenant : key;
  }

  /** A shop's own rate keeps the default's burst-to-rate ratio. */
  static long scaledBurst(long rate, long defaultRate, long defaultBurst) {
    return Math.max(1, Math.max(rate, Math.round((double) rate * defaultBurst / Math.max(1, defaultRate))));
  }

  private static Decision take(Cache<String, Limited> buckets, String id, long perSecond, long burst, String scope) {
    // a plain read for a bucket that is there and current (every request but the first and those
    // after a limit changed); compute only to make or replace one, as it locks the entry
    Limited limited = buckets.getIfPresent(id);
    if (limited == null || limited.perSecond() != perSecond || limited.burst() != burst) {
      limited = buckets.asMap().compute(id, (k, current) ->
          current != null && current.perSecond() == perSecond && current.burst() == burst
              ? current
              : new Limited(newBucket(perSecond, burst), perSecond, burst));
    }
    ConsumptionProbe probe = limited.bucket().tryConsumeAndReturnRemaining(1);
    long remaining = probe.getRemainingTokens();
    // seconds until the bucket is full again, as RateLimit-Reset reads
    long reset = (long) Math.ceil((double) (burst - remaining) / perSecond);
    long retryAfter = probe.isConsumed() ? 0 : Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
    return new Decision(probe.isConsumed(), burst, remaining, reset, retryAfter, scope);
  }

  private static Bucket newBucket(long perSecond, long burst) {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
        .build();
  }
}
