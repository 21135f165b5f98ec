package com.shopcrm.scoring;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for order-service's event replay: a small Vert.x server answering {@code GET
 * /api/v1/orders/events?after_seq=&limit=} from events the test posts to {@code POST /_fake/events}
 * ({@code {"events": [...]}}, each with a {@code seq}); {@code GET /_fake/calls} lists the
 * Authorization headers it saw.
 */
public class FakeOrderService implements QuarkusTestResourceLifecycleManager {

  private final CopyOnWriteArrayList<JsonObject> events = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<String> calls = new CopyOnWriteArrayList<>();
  private Vertx vertx;

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(this::handle);
    try {
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fake order-service did not start", e);
    }
    return Map.of("quarkus.rest-client.order-service.url", "http://127.0.0.1:" + server.actualPort());
  }

  @Override
  public void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/_fake/events" -> request.body().onSuccess(buffer -> {
        events.clear();
        buffer.toJsonObject().getJsonArray("events").forEach(e -> events.add((JsonObject) e));
        request.response().end();
      });
      case "/_fake/calls" -> request.response().putHeader("Content-Type", "application/json")
          .end(new JsonArray(List.copyOf(calls)).encode());
      case "/api/v1/orders/events" -> {
        calls.add(String.valueOf(request.getHeader("Authorization")));
        long after = Long.parseLong(request.getParam("after_seq", "0"));
        int limit = Integer.parseInt(request.getParam("limit", "100"));
        JsonArray items = new JsonArray();
        for (JsonObject e : events) {
          if (e.getLong("seq") > after && items.size() < limit) {
            items.add(e);
          }
        }
        Long next = items.size() == limit ? items.getJsonObject(items.size() - 1).getLong("seq") : null;
        request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("items", items).put("next_after_seq", next).encode());
      }
      default -> request.response().setStatusCode(404).end();
    }
  }
}
