package com.shopcrm.common.web;

import com.shopcrm.common.problem.Problem;
import io.smallrye.config.ConfigMapping;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Answers a request without a bearer token on the paths under {@code crm.auth.token-required-paths}
 * with a 401 problem+json and {@code WWW-Authenticate: Bearer}. Quarkus refuses such a request itself
 * (the {@code authenticated} permission on {@code /api/*}), but with an empty body: every other 401 of
 * a service (a token that is forged, expired or for another audience) is already problem+json, through
 * {@code ProblemMappers}. The token itself is still verified by smallrye-jwt; this only gives the
 * "no token at all" case the same error body. Off when not configured (the gateway has its own keys).
 */
@ApplicationScoped
public class TokenRequired {

  @ConfigMapping(prefix = "crm.auth")
  public interface Config {
    Optional<List<String>> tokenRequiredPaths();
  }

  private final List<String> paths;

  TokenRequired(Config config) {
    this.paths = config.tokenRequiredPaths().orElse(List.of());
  }

  void install(@Observes Router router) {
    if (!paths.isEmpty()) {
      // before Quarkus's authorization (which would send its empty challenge), after nothing that reads the body
      router.route().order(-150).handler(this::check);
    }
  }

  private void check(RoutingContext rc) {
    String path = rc.request().path();
    if (path != null && paths.stream().anyMatch(path::startsWith) && !hasBearer(rc)) {
      rc.response().setStatusCode(401)
          .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
          .putHeader("WWW-Authenticate", "Bearer")
          .end(new JsonObject()
              .put("type", Problem.TYPE_BASE + "unauthorized")
              .put("title", "Unauthorized")
              .put("status", 401)
              .put("detail", "A valid internal token is required.")
              .encode());
      return;
    }
    rc.next();
  }

  private static boolean hasBearer(RoutingContext rc) {
    String authorization = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    return authorization != null && authorization.length() > 7
        && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")
        && !authorization.substring(7).isBlank();
  }
}
