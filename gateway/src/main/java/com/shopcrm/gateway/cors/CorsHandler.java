package com.shopcrm.gateway.cors;

import com.shopcrm.common.problem.Problem;
import com.shopcrm.gateway.config.GatewayConfig;
import com.shopcrm.gateway.routing.ProblemWriter;
import com.shopcrm.gateway.routing.RequestIds;
import com.shopcrm.gateway.service.TenantSettings;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * CORS at the gateway, per shop. A preflight carries no key, so it is answered for an origin that
 * some shop lists; the real request then carries the key, and its answer gets CORS headers only when
 * the key's own shop lists the origin. An origin no shop lists gets no CORS headers at all (the
 * browser then keeps the answer from the page).
 */
@ApplicationScoped
public class CorsHandler {

  static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
  static final String ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Request-Id";
  static final String EXPOSED_HEADERS =
      "X-Request-Id, Location, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Idempotent-Replayed";

  private final TenantSettings settings;
  private final ProblemWriter problems;
  private final String maxAgeSeconds;

  CorsHandler(TenantSettings settings, ProblemWriter problems, GatewayConfig config) {
    this.settings = settings;
    this.problems = problems;
    this.maxAgeSeconds = String.valueOf(config.cors().maxAge().toSeconds());
  }

  /** Answers an {@code OPTIONS} preflight: 204 with the CORS headers for a listed origin, else 403 without them. */
  public void preflight(RoutingContext ctx, String requestId) {
    String origin = CorsOrigins.normalizeOne(ctx.request().getHeader("Origin"));
    HttpServerResponse response = ctx.response().putHeader(RequestIds.HEADER, requestId).putHeader("Vary", "Origin");
    if (origin == null) {
      problems.send(response, Problem.of(403, "Origin not allowed", "The Origin header is not a valid origin."));
      return;
    }
    settings.anyAllows(origin).subscribe().with(allowed -> {
      if (allowed) {
        response.setStatusCode(204)
            .putHeader("Access-Control-Allow-Origin", origin)
            .putHeader("Access-Control-Allow-Methods", ALLOWED_METHODS)
            .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
            .putHeader("Access-Control-Max-Age", maxAgeSeconds)
            .end();
      } else {
        problems.send(response, Problem.of(403, "Origin not allowed",
            "No shop allows calls from " + origin + "; a shop admin adds it with PUT /api/v1/admin/tenants/{id}/cors."));
      }
    }, failure -> {
      Log.error("CORS origin lookup failed", failure);
      problems.send(response, Problem.of(503, "Service unavailable", "Origins cannot be checked right now."));
    });
  }

  /** Adds the CORS headers to the answer when the request's origin is one of the shop's. */
  public void allowIfListed(RoutingContext ctx, List<String> shopOrigins) {
    String raw = ctx.request().getHeader("Origin");
    if (raw == null) {
      return;
    }
    ctx.response().putHeader("Vary", "Origin");
    String origin = CorsOrigins.normalizeOne(raw);
    if (origin == null || !shopOrigins.contains(origin)) {
      return;
    }
    // set when the head is written, so proxied answers (whose headers replace ours) carry them too
    ctx.addHeadersEndHandler(v -> ctx.response().headers()
        .set("Access-Control-Allow-Origin", origin)
        .set("Access-Control-Expose-Headers", EXPOSED_HEADERS));
  }
}
