package com.shopcrm.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Everything the gateway is told from outside ({@code crm.gateway.*}). */
@ConfigMapping(prefix = "crm.gateway")
public interface GatewayConfig {

  /** The services behind the gateway, by name (customer, order, scoring, campaign). */
  Map<String, Upstream> upstreams();

  /** Time to get a connection to an upstream; a refused connection fails at once regardless. */
  @WithDefault("2s")
  Duration connectTimeout();

  /**
   * Longest silence from an upstream once the client's request body has been passed on: until the
   * response starts, and between chunks of it. Uploads are not counted, however long they take.
   */
  @WithDefault("60s")
  Duration responseTimeout();

  /**
   * Value of {@code CRM_BOOTSTRAP_ADMIN_KEY}: stored (hashed) as a platform admin key at start.
   */
  Optional<String> bootstrapAdminKey();

  /**
   * Headers a client must never set: only the gateway speaks for the caller's identity. Removed
   * (besides {@code Authorization} and any {@code X-Crm-*}) before a request is passed on.
   */
  @WithDefault("X-Tenant-Id,X-Api-Key-Id,X-Roles,X-User,X-User-Id,X-Subject,X-Forwarded-User,X-Auth-Request-User")
  Set<String> internalHeaders();

  /** Largest body accepted by the gateway's own endpoints (the admin API); proxied bodies stream unlimited. */
  @WithDefault("64K")
  io.quarkus.runtime.configuration.MemorySize ownBodyLimit();

  Jwt jwt();

  Auth auth();

  RateLimit rateLimit();

  Cors cors();

  /**
   * Token buckets, per API key and per shop, in this gateway's memory: with N replicas a client
   * gets up to N times these rates. A shop's own limits (admin API) override the two rates; its
   * bursts scale with them.
   */
  interface RateLimit {
    @WithDefault("true")
    boolean enabled();

    /** Sustained requests per second one API key may make. */
    @WithDefault("100")
    int keyPerSecond();

    /** Requests one API key may make at once after a quiet spell (bucket capacity). */
    @WithDefault("200")
    int keyBurst();

    /** Sustained requests per second all keys of one shop may make together. */
    @WithDefault("300")
    int tenantPerSecond();

    @WithDefault("600")
    int tenantBurst();
  }

  interface Cors {
    /** How long a browser may remember a preflight answer. */
    @WithDefault("10m")
    Duration maxAge();

    /** How long a shop's settings (origins, limits) are remembered; changes through this instance apply at once. */
    @WithDefault("5s")
    Duration settingsCacheTtl();
  }

  interface Upstream {
    /** Base URL of the service, e.g. {@code http://127.0.0.1:8081}. */
    URI url();

    /** Path prefixes it owns, e.g. {@code /api/v1/customers}. */
    List<String> prefixes();

    /** Overrides {@link GatewayConfig#connectTimeout()} for this upstream. */
    Optional<Duration> connectTimeout();

    /** Overrides {@link GatewayConfig#responseTimeout()} for this upstream. */
    Optional<Duration> responseTimeout();

    /**
     * Connections kept to this upstream (separate pools per upstream, so one stuck service starves no
     * other), shared out evenly over the gateway's event loops: each loop keeps its own pool of
     * {@code max-connections / loops} (at least 1), so a request and its connection stay on one thread.
     */
    @WithDefault("64")
    int maxConnections();

    /** Consecutive failures (unreachable, timed out, 502/503/504) that open this upstream's circuit. */
    @WithDefault("5")
    int breakerFailures();

    /** How long an open circuit answers 503 at once before one request is let through to probe. */
    @WithDefault("5s")
    Duration breakerOpenFor();
  }

  interface Jwt {
    /** PEM private key (file path, or classpath resource) that signs internal tokens: {@code CRM_JWT_PRIVATE_KEY_LOCATION}. */
    String privateKeyLocation();

    @WithDefault("shop-crm-gateway")
    String issuer();

    @WithDefault("shop-crm")
    String audience();

    @WithDefault("60s")
    Duration lifetime();

    /** {@code kid} header of the tokens, when the services need one to pick the key. */
    Optional<String> keyId();
  }

  interface Auth {
    /** How long a verified key is remembered; revocation on this instance clears it at once. At most 5 s. */
    @WithDefault("5s")
    Duration cacheTtl();

    @WithDefault("10000")
    int cacheSize();
  }
}
