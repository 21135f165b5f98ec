package com.shopcrm.scoring;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for order-service's event replay: a small Vert.x server answering {@code GET
 * /api/v1/orders/events?after_seq=&limit=} from events the test posts to {@code POST /_fake/events}
 * ({@code {"events": [...]}}, each with a {@code seq}); {@code GET /_fake/calls} lists the
 * Authorization headers it saw.
 */
public class FakeOrderService extends FakeHttpService {

  private final CopyOnWriteArrayList<JsonObject> events = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<String> calls = new CopyOnWriteArrayList<>();

  @Override
  protected Map<String, String> config(String baseUrl) {
    return Map.of("quarkus.rest-client.order-service.url", baseUrl);
  }

  @Override
  protected void handle(HttpServerRequest request) {
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
