package com.shopcrm.order.rest;

import com.shopcrm.common.problem.Problem;
import com.shopcrm.order.config.OrderConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The HTTP body limit ({@code quarkus.http.limits.max-body-size}) is raised for CSV uploads, which
 * are streamed to disk; every other endpoint reads its (JSON) body into memory, so this keeps them
 * at {@code crm.order.imports.max-json-body} (2 MB) by Content-Length: 413 problem.
 */
@ApplicationScoped
public class JsonBodyLimit {

  private final long limit;

  JsonBodyLimit(OrderConfig config) {
    this.limit = config.imports().maxJsonBody();
  }

  void install(@Observes Router router) {
    router.route().order(-100).handler(this::limit);
  }

  private void limit(RoutingContext rc) {
    String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && !rc.request().path().startsWith(OrderImportResource.PATH)) {
      long n;
      try {
        n = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n > limit) {
        rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
            .putHeader(HttpHeaders.CONNECTION, "close")
            .end(new JsonObject().put("type", Problem.TYPE_BASE + "payload-too-large").put("title", "Payload too large")
                .put("status", 413).put("detail", "The body is over " + limit + " bytes").encode());
        return;
      }
    }
    rc.next();
  }
}
