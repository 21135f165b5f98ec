package com.shopcrm.order;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for customer-service: a small Vert.x server answering {@code POST
 * /api/v1/customers/batch} as the real one does (an id per (platform, external_id), stable across
 * calls; a buyer named {@code REJECT} is refused). Tests steer and inspect it over HTTP, because a
 * test resource and the tests may live in different class loaders:
 * {@code POST /_fake/down}, {@code POST /_fake/up}, {@code GET /_fake/calls} (every batch call
 * with its Authorization header and body).
 */
public class FakeCustomerService implements QuarkusTestResourceLifecycleManager {

  private final Map<String, Long> ids = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(5000);
  private final AtomicBoolean down = new AtomicBoolean(false);
  private final CopyOnWriteArrayList<JsonObject> calls = new CopyOnWriteArrayList<>();
  private Vertx vertx;

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(this::handle);
    try {
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fake customer-service did not start", e);
    }
    return Map.of("quarkus.rest-client.customer-service.url", "http://127.0.0.1:" + server.actualPort());
  }

  @Override
  public void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    switch (path) {
      case "/_fake/down" -> {
        down.set(true);
        request.response().end();
      }
      case "/_fake/up" -> {
        down.set(false);
        request.response().end();
      }
      case "/_fake/calls" -> request.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("calls", new JsonArray(java.util.List.copyOf(calls))).encode());
      case "/api/v1/customers/batch" -> request.body().onSuccess(buffer -> {
        JsonObject body = buffer.toJsonObject();
        if (down.get()) {
          request.response().setStatusCode(503).end();
          return;
        }
        calls.add(new JsonObject().put("authorization", request.getHeader("Authorization")).put("body", body));
        JsonArray results = new JsonArray();
        JsonArray customers = body.getJsonArray("customers");
        for (int i = 0; i < customers.size(); i++) {
          JsonObject c = customers.getJsonObject(i);
          String externalId = c.getString("external_id");
          if ("REJECT".equals(c.getString("name"))) {
            results.add(new JsonObject().put("index", i).put("external_id", externalId).put("status", "error")
                .put("error", "phone: refused by the fake"));
            continue;
          }
          String key = c.getString("platform") + "/" + externalId;
          boolean created = !ids.containsKey(key);
          long id = ids.computeIfAbsent(key, k -> nextId.incrementAndGet());
          results.add(new JsonObject().put("index", i).put("id", id).put("external_id", externalId)
              .put("status", created ? "created" : "unchanged"));
        }
        request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("results", results).encode());
      });
      default -> request.response().setStatusCode(404).end();
    }
  }
}
