package com.shopcrm.customer.audience;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for campaign-service's sync endpoints and records every call: path, the tenant and roles
 * of the token, the body and the status answered. Answers 200, or the status set through
 * {@code POST /_fake/status?code=}, or a 400 naming the items of customers made poison through
 * {@code POST /_fake/poison?customer_id=} (as campaign-service does: {@code profiles[i].field}).
 * {@code POST /_fake/delay?ms=} slows every answer down; {@code GET /_fake/calls?tenant=} lists the
 * calls. The control server is a second port because the test and this resource live in different
 * class loaders.
 */
public class FakeCampaignService implements QuarkusTestResourceLifecycleManager {

  private final CopyOnWriteArrayList<JsonObject> calls = new CopyOnWriteArrayList<>();
  private final Set<Long> poison = ConcurrentHashMap.newKeySet();
  private volatile int status = 200;
  private volatile long delayMillis;
  private Vertx vertx;

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    try {
      HttpServer control = vertx.createHttpServer().requestHandler(this::control);
      control.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      HttpServer campaign = vertx.createHttpServer().requestHandler(this::sync);
      campaign.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return Map.of(
          "crm.campaign.url", "http://127.0.0.1:" + campaign.actualPort(),
          "crm.audience-feed.every", "1s",
          "crm.audience-feed.batch-size", "300",
          "crm.test.fake-campaign", "http://127.0.0.1:" + control.actualPort());
    } catch (Exception e) {
      throw new IllegalStateException("fake campaign-service did not start", e);
    }
  }

  @Override
  public void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }

  private void control(HttpServerRequest request) {
    switch (request.path()) {
      case "/_fake/status" -> {
        status = Integer.parseInt(request.getParam("code"));
        request.response().end();
      }
      case "/_fake/delay" -> {
        delayMillis = Long.parseLong(request.getParam("ms"));
        request.response().end();
      }
      case "/_fake/poison" -> {
        poison.add(Long.parseLong(request.getParam("customer_id")));
        request.response().end();
      }
      case "/_fake/cure" -> {
        poison.clear();
        request.response().end();
      }
      case "/_fake/calls" -> {
        String tenant = request.getParam("tenant");
        JsonArray out = new JsonArray();
        calls.stream().filter(c -> tenant == null || tenant.equals(c.getString("tenant"))).forEach(out::add);
        request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("calls", out).encode());
      }
      default -> request.response().setStatusCode(404).end();
    }
  }

  private void sync(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      JsonObject body = buffer.toJsonObject();
      JsonObject claims = claims(request.getHeader("Authorization"));
      int answer = status;
      JsonArray errors = new JsonArray();
      String key = request.path().endsWith("/profiles/sync") ? "profiles" : "events";
      JsonArray items = body.getJsonArray(key, new JsonArray());
      if (answer == 200) {
        for (int i = 0; i < items.size(); i++) {
          if (poison.contains(items.getJsonObject(i).getLong("customer_id"))) {
            errors.add(new JsonObject().put("field", key + "[" + i + "].name").put("message", "poisoned"));
          }
        }
        if (!errors.isEmpty()) {
          answer = 400;
        }
      }
      calls.add(new JsonObject()
          .put("path", request.path())
          .put("tenant", claims.getString("tenant_id"))
          .put("groups", claims.getJsonArray("groups"))
          .put("subject", claims.getString("sub"))
          .put("status", answer)
          .put("body", body));
      int code = answer;
      String text = answer == 200 ? "{\"received\": " + items.size() + "}"
          : new JsonObject().put("status", answer).put("title", "refused").put("errors", errors).encode();
      Runnable reply = () -> request.response().setStatusCode(code)
          .putHeader("Content-Type", code == 200 ? "application/json" : "application/problem+json").end(text);
      if (delayMillis > 0) {
        vertx.setTimer(delayMillis, id -> reply.run());
      } else {
        reply.run();
      }
    });
  }

  private static JsonObject claims(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return new JsonObject();
    }
    String[] parts = authorization.substring(7).split("\\.");
    return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }
}
