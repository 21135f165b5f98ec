package com.shopcrm.scoring;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for campaign-service's {@code POST /api/v1/segments/profiles/sync}: records every call
 * ({@code {status, tenant (from the token's tenant_id), subject, body}}) and answers 200, or 503
 * while failures are ordered. Control: {@code POST /_fake/fail?times=N} (the next N calls answer
 * 503), {@code GET /_fake/calls}.
 */
public class FakeCampaignService extends FakeHttpService {

  private final CopyOnWriteArrayList<JsonObject> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();

  @Override
  protected Map<String, String> config(String baseUrl) {
    return Map.of("crm.campaign.url", baseUrl);
  }

  @Override
  protected void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/_fake/fail" -> {
        failures.set(Integer.parseInt(request.getParam("times")));
        request.response().end();
      }
      case "/_fake/calls" -> request.response().putHeader("Content-Type", "application/json")
          .end(new JsonArray(List.copyOf(calls)).encode());
      case "/api/v1/segments/profiles/sync" -> request.body().onSuccess(buffer -> {
        JsonObject claims = claims(request.getHeader("Authorization"));
        boolean fail = failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        int status = fail ? 503 : 200;
        calls.add(new JsonObject().put("status", status).put("tenant", claims.getString("tenant_id"))
            .put("subject", claims.getString("sub")).put("groups", claims.getJsonArray("groups"))
            .put("body", buffer.toJsonObject()));
        if (fail) {
          request.response().setStatusCode(503).putHeader("Content-Type", "application/problem+json")
              .end("{\"title\": \"Service Unavailable\", \"status\": 503}");
        } else {
          int n = buffer.toJsonObject().getJsonArray("profiles").size();
          request.response().putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("received", n).put("customers", n).encode());
        }
      });
      default -> request.response().setStatusCode(404).end();
    }
  }

  private static JsonObject claims(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return new JsonObject();
    }
    String[] parts = authorization.substring(7).split("\\.");
    return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }
}
