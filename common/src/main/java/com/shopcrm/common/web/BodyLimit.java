package com.shopcrm.common.web;

import com.shopcrm.common.problem.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;

/**
 * Refuses a JSON body over {@code crm.http.max-json-body} by its {@code Content-Length}, before it is
 * read, with a 413 problem+json (Vert.x's own limit, {@code quarkus.http.limits.max-body-size}, answers
 * an empty 413 and stays as the backstop for chunked bodies). Paths under
 * {@code crm.http.streamed-paths} (uploads streamed to disk) are exempt. Off when not configured
 * (the gateway streams bodies through and has its own limit).
 */
@ApplicationScoped
public class BodyLimit {

  @ConfigMapping(prefix = "crm.http")
  public interface Config {
    Optional<MemorySize> maxJsonBody();

    Optional<List<String>> streamedPaths();
  }

  private final Optional<Long> limit;
  private final List<String> streamed;

  BodyLimit(Config config) {
    this.limit = config.maxJsonBody().map(MemorySize::asLongValue);
    this.streamed = config.streamedPaths().orElse(List.of());
  }

  void install(@Observes Router router) {
    limit.ifPresent(max -> router.route().order(-100).handler(rc -> check(rc, max)));
  }

  private void check(RoutingContext rc, long max) {
    String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && streamed.stream().noneMatch(rc.request().path()::startsWith) && parse(length) > max) {
      rc.response().setStatusCode(413)
          .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
          .putHeader(HttpHeaders.CONNECTION, "close")
          .end(new JsonObject()
              .put("type", Problem.TYPE_BASE + "payload-too-large")
              .put("title", "Payload too large")
              .put("status", 413)
              .put("detail", "The body is over " + max + " bytes, the most this endpoint accepts.")
              .encode());
      return;
    }
    rc.next();
  }

  private static long parse(String length) {
    try {
      return Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
