package com.shopcrm.gateway.routing;

import com.shopcrm.common.problem.Problem;
import com.shopcrm.gateway.auth.ApiKeyAuthenticator;
import com.shopcrm.gateway.auth.Caller;
import com.shopcrm.gateway.auth.InternalTokenSigner;
import com.shopcrm.gateway.auth.Unauthenticated;
import com.shopcrm.gateway.config.GatewayConfig;
import com.shopcrm.gateway.cors.CorsHandler;
import com.shopcrm.gateway.limits.RateLimiter;
import com.shopcrm.gateway.repository.TenantRepository.TenantRow;
import com.shopcrm.gateway.service.TenantSettings;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.MDC;

/**
 * The front door for {@code /api/v1/**}, a Vert.x route placed before Quarkus REST: it takes the
 * request id, authenticates the API key, then either passes the request on to the service owning
 * its path (streaming the body both ways through vertx-http-proxy, with a signed internal token in
 * place of the key) or, for the gateway's own paths (admin, status), hands it to Quarkus REST with
 * the {@link Caller} in the routing context.
 */
@ApplicationScoped
public class GatewayRoutes {

  /**
   * Before Quarkus' HTTP security filters (authentication at order -200, then REST's template-path
   * and auth-failure set-up, authorization at -100, the upload limit at -2) and Quarkus REST
   * ({@link RouteConstants#ROUTE_ORDER_DEFAULT}). The gateway uses none of Quarkus' security (it
   * authenticates API keys itself, below), yet those filters took about a tenth of its CPU per proxied
   * request (docs/BENCHMARKS.md, "Gateway"); a proxied request now never reaches them. The gateway's
   * own paths still pass through all of them after this route ({@code ctx.next()}).
   */
  static final int ORDER = -SecurityHandlerPriorities.AUTHENTICATION - 1;
  private static final String MDC_KEY = "request_id";
  static final String OPENAPI = "/api/v1/openapi";
  /** Context-local key Quarkus' HTTP metrics take the {@code uri} tag from. */
  private static final String METRICS_URI_TEMPLATE = "UrlPathTemplate";

  private final Upstreams upstreams;
  private final ApiKeyAuthenticator authenticator;
  private final InternalTokenSigner tokens;
  private final ProblemWriter problems;
  private final Set<String> internalHeaders;
  private final long ownBodyLimit;
  private final TenantSettings settings;
  private final RateLimiter limiter;
  private final CorsHandler cors;
  /** Quarkus' upload limit ({@code quarkus.http.limits.max-body-size}), which proxied requests now pass before. */
  private final long maxBodySize;

  GatewayRoutes(Upstreams upstreams, ApiKeyAuthenticator authenticator, InternalTokenSigner tokens,
                ProblemWriter problems, GatewayConfig config, TenantSettings settings, RateLimiter limiter,
                CorsHandler cors) {
    this.settings = settings;
    this.limiter = limiter;
    this.cors = cors;
    this.upstreams = upstreams;
    this.authenticator = authenticator;
    this.tokens = tokens;
    this.problems = problems;
    this.internalHeaders = config.internalHeaders().stream().map(String::toLowerCase).collect(Collectors.toUnmodifiableSet());
    this.ownBodyLimit = config.ownBodyLimit().asLongValue();
    this.maxBodySize = ConfigProvider.getConfig()
        .getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
        .map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
  }

  void install(@Observes Router router) {
    router.route("/api/v1/*").order(ORDER).handler(this::handle);
  }

  void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest request = ctx.request();
    String requestId = RequestIds.acceptOrGenerate(request.getHeader(RequestIds.HEADER));
    request.headers().set(RequestIds.HEADER, requestId); // Quarkus REST's RequestIdFilter takes the same id
    MDC.put(MDC_KEY, requestId);
    String path = ctx.normalizedPath();
    Upstream upstream = upstreams.route(path);
    String route = upstream == null ? ownRoute(path) : upstreams.prefix(path) + "/*";
    // Name the request in the HTTP metrics by its route, not its path: one series per customer id
    // (or per random path a client makes up) would have no end. Quarkus REST refines it for own paths.
    ((HttpServerRequestInternal) request).context().putLocal(METRICS_URI_TEMPLATE, route);

    // The access log: one line per request, with what an operator greps for. Built by hand, not with
    // Log.infof: java.util.Formatter was a fifth of the access log's cost per request.
    ctx.addEndHandler(done -> {
      if (!Log.isInfoEnabled()) {
        return;
      }
      Caller caller = ctx.get(Caller.CONTEXT_KEY);
      Log.info(new StringBuilder(160).append(request.method().name()).append(' ').append(path)
          .append(" route=").append(route)
          .append(" tenant=").append(caller == null ? "-" : caller.isPlatform() ? "(platform)" : caller.tenantId())
          .append(" status=").append(ctx.response().getStatusCode())
          .append(" latency_ms=").append((System.nanoTime() - start) / 1_000_000)
          .append(" upstream=").append(upstream == null ? "gateway" : upstream.name())
          .append(" request_id=").append(requestId).toString());
    });

    if (request.method() == HttpMethod.OPTIONS && request.getHeader("Origin") != null
        && request.getHeader("Access-Control-Request-Method") != null) {
      cors.preflight(ctx, requestId);
      return;
    }
    if (isPublic(path)) {
      ctx.next(); // the OpenAPI documents: no key needed
      return;
    }

    String authorization = request.getHeader("Authorization");
    // A key and shop seen within the last seconds: no I/O to wait for, so no reactive pipeline either
    // (its operators and context propagation cost more than the rest of this route).
    Caller known = authenticator.cached(authorization);
    if (known != null) {
      TenantRow tenant = known.isPlatform() ? null : settings.cached(known.tenantId());
      if (known.isPlatform() || tenant != null) {
        proceed(ctx, requestId, path, upstream, known, tenant);
        return;
      }
    }
    authenticator.authenticate(authorization)
        .chain(caller -> caller.isPlatform()
            ? Uni.createFrom().item(new Authenticated(caller, null))
            : settings.of(caller.tenantId()).map(row -> new Authenticated(caller, row)))
        .subscribe().with(
        authenticated -> proceed(ctx, requestId, path, upstream, authenticated.caller(), authenticated.tenant()),
        failure -> {
          if (failure instanceof Unauthenticated u) {
            ctx.response().putHeader("WWW-Authenticate",
                u.credentialsGiven() ? "Bearer realm=\"shop-crm\", error=\"invalid_token\"" : "Bearer realm=\"shop-crm\"");
            reply(ctx, requestId, Problem.of(401, "Unauthorized", u.getMessage()));
          } else {
            Log.error("API key lookup failed", failure);
            reply(ctx, requestId, Problem.of(503, "Service unavailable", "Keys cannot be checked right now; try again shortly."));
          }
        });
  }

  private record Authenticated(Caller caller, TenantRow tenant) {
  }

  /** The request's caller is known: CORS, rate limit, then the gateway's own endpoint or the service. */
  private void proceed(RoutingContext ctx, String requestId, String path, Upstream upstream, Caller caller,
                       TenantRow tenant) {
    // Anything thrown here would be dropped by the subscriber and leave the client waiting: answer it instead.
    try {
      ctx.put(Caller.CONTEXT_KEY, caller);
      if (tenant != null) {
        cors.allowIfListed(ctx, tenant.corsOrigins());
      }
      if (!withinRateLimit(ctx, requestId, caller, tenant)) {
        return;
      }
      if (upstream == null) {
        serveOwn(ctx, requestId);
      } else if (caller.isPlatform()) {
        reply(ctx, requestId, Problem.of(403, "Platform key acts on no shop",
            "A platform key acts on no shop: call " + path + " with an API key of the shop."));
      } else {
        forward(ctx, upstream, caller, requestId, path);
      }
    } catch (RuntimeException e) {
      fail(ctx, requestId, e);
    }
  }

  private void fail(RoutingContext ctx, String requestId, Throwable e) {
    Log.error("request could not be routed", e);
    if (!ctx.response().headWritten()) {
      reply(ctx, requestId, Problem.of(500, "Server error", "The request could not be completed."));
    }
  }

  /** The aggregated and per-service OpenAPI documents are public (a client generator needs no key). */
  static boolean isPublic(String path) {
    return path.equals(OPENAPI) || path.startsWith(OPENAPI + "/");
  }

  private static String ownRoute(String path) {
    return isPublic(path) ? OPENAPI + "/*" : "/api/v1/*";
  }

  /**
   * Takes a token from the key's and the shop's buckets; sets the RateLimit headers; answers 429
   * with Retry-After when a bucket is empty.
   */
  private boolean withinRateLimit(RoutingContext ctx, String requestId, Caller caller, TenantRow tenant) {
    RateLimiter.Decision d = limiter.acquire(caller.keyId(), caller.tenantId(),
        tenant == null ? null : tenant.rateLimitPerSecond(), tenant == null ? null : tenant.keyRateLimitPerSecond());
    if (d == null) {
      return true;
    }
    ctx.response().putHeader("RateLimit-Limit", String.valueOf(d.limit()))
        .putHeader("RateLimit-Remaining", String.valueOf(d.remaining()))
        .putHeader("RateLimit-Reset", String.valueOf(d.resetSeconds()));
    if (d.allowed()) {
      return true;
    }
    ctx.response().putHeader("Retry-After", String.valueOf(d.retryAfterSeconds()));
    reply(ctx, requestId, Problem.of(429, "Too many requests", d.scope().equals("key")
        ? "This API key made more requests than its limit allows; retry after " + d.retryAfterSeconds() + " s."
        : "The shop's keys together made more requests than its limit allows; retry after " + d.retryAfterSeconds() + " s."));
    return false;
  }

  /** The gateway's own endpoints: small JSON bodies only, then Quarkus REST. */
  private void serveOwn(RoutingContext ctx, String requestId) {
    String length = ctx.request().getHeader("Content-Length");
    if (length != null && parseLong(length) > ownBodyLimit) {
      reply(ctx, requestId, Problem.of(413, "Payload too large",
          "The body exceeds " + ownBodyLimit + " bytes, the most this endpoint accepts."));
      return;
    }
    continueIfExpected(ctx);
    ctx.next();
  }

  /**
   * {@code Expect: 100-continue} (curl sends it for large uploads) is answered here, once the key is
   * known to be good, so a refused client never sends its body; the header is not passed on.
   */
  private static void continueIfExpected(RoutingContext ctx) {
    if ("100-continue".equalsIgnoreCase(ctx.request().getHeader("Expect"))) {
      ctx.request().headers().remove("Expect");
      ctx.response().writeContinue();
    }
  }

  private void forward(RoutingContext ctx, Upstream upstream, Caller caller, String requestId, String path) {
    String length = ctx.request().getHeader("Content-Length");
    if (length != null && parseLong(length) > maxBodySize) {
      // what Quarkus' upload limit answers, which proxied requests pass before (see ORDER)
      ctx.response().putHeader("Connection", "close").endHandler(v -> ctx.request().connection().close());
      reply(ctx, requestId, Problem.of(413, "Payload too large",
          "The body exceeds " + maxBodySize + " bytes, the most the gateway accepts."));
      return;
    }
    CompletableFuture<String> token = tokens.token(caller);
    if (token.isDone() && !token.isCompletedExceptionally()) {
      forward(ctx, upstream, token.join(), requestId, path);
      return;
    }
    // the caller's first request (or first after a pause): its token is being signed on a worker
    Context context = ((HttpServerRequestInternal) ctx.request()).context();
    token.whenComplete((signed, failure) -> context.runOnContext(v -> {
      if (failure != null) {
        fail(ctx, requestId, failure);
        return;
      }
      try {
        forward(ctx, upstream, signed, requestId, path);
      } catch (RuntimeException e) {
        fail(ctx, requestId, e);
      }
    }));
  }

  private void forward(RoutingContext ctx, Upstream upstream, String token, String requestId, String path) {
    CircuitBreaker.Permit permit = upstream.breaker().tryAcquire();
    if (permit == null) {
      ctx.response().putHeader("Retry-After", String.valueOf(upstream.breaker().retryAfterSeconds()));
      reply(ctx, requestId, Problem.of(503, "Service unavailable", "The " + upstream.name()
          + " service failed repeatedly and is given a rest (circuit open); try again shortly."));
      return;
    }
    String query = ctx.request().query();
    String uri = upstream.uri(query == null ? path : path + "?" + query);
    continueIfExpected(ctx);
    HttpProxy.reverseProxy(upstream.clients().current())
        .origin(upstream::open)
        .addInterceptor(new ForwardingInterceptor(upstream, permit, uri, token, requestId, internalHeaders, problems))
        .handle(ctx.request());
  }

  void reply(RoutingContext ctx, String requestId, Problem problem) {
    ctx.response().putHeader(RequestIds.HEADER, requestId);
    problems.send(ctx.response(), problem);
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
