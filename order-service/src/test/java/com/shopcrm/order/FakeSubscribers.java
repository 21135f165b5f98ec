package com.shopcrm.order;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the order-event subscribers (membership, scoring, campaign): one Vert.x server
 * taking events on any path, one per call or {@code {"events": [...]}} (refused whole: 500 when one is
 * sick, 400 when one is poison), answering 200, 409 for an order_no starting with {@code DUP}, 422 for
 * {@code POISON}, and 500 for order numbers made "sick". Tests steer it over a second, control
 * server: {@code POST /_fake/down} closes the subscriber port (connection refused), {@code /_fake/up}
 * opens it again on the same port, {@code POST /_fake/sick?order_no=} and {@code /_fake/well?order_no=},
 * {@code GET /_fake/events?tenant=&path=} lists the events taken (tenant read from the token).
 */
public class FakeSubscribers implements QuarkusTestResourceLifecycleManager {

  private final CopyOnWriteArrayList<JsonObject> taken = new CopyOnWriteArrayList<>();
  private final Set<String> sick = ConcurrentHashMap.newKeySet();
  private Vertx vertx;
  private volatile HttpServer subscriber;
  private int port;

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    try {
      HttpServer control = vertx.createHttpServer().requestHandler(this::control);
      control.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      open(0);
      String url = "http://127.0.0.1:" + port;
      return Map.of(
          "crm.order.subscribers.membership.url", url,
          "crm.order.subscribers.scoring.url", url,
          "crm.order.subscribers.campaign.url", url,
          "crm.test.fake-subscribers", "http://127.0.0.1:" + control.actualPort());
    } catch (Exception e) {
      throw new IllegalStateException("fake subscribers did not start", e);
    }
  }

  private void open(int at) throws Exception {
    subscriber = vertx.createHttpServer().requestHandler(this::take);
    subscriber.listen(at, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = subscriber.actualPort();
  }

  @Override
  public void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }

  private void control(HttpServerRequest request) {
    try {
      switch (request.path()) {
        case "/_fake/down" -> {
          HttpServer server = subscriber;
          subscriber = null;
          if (server == null) {
            request.response().end();
          } else {
            server.close().onComplete(done -> request.response().end());
          }
        }
        case "/_fake/up" -> {
          if (subscriber != null) {
            request.response().end();
          } else {
            HttpServer server = vertx.createHttpServer().requestHandler(this::take);
            server.listen(port, "127.0.0.1").onComplete(done -> {
              if (done.succeeded()) {
                subscriber = server;
                request.response().end();
              } else {
                request.response().setStatusCode(500).end(done.cause().toString());
              }
            });
          }
        }
        case "/_fake/sick" -> {
          sick.add(request.getParam("order_no"));
          request.response().end();
        }
        case "/_fake/well" -> {
          sick.remove(request.getParam("order_no"));
          request.response().end();
        }
        case "/_fake/events" -> {
          String tenant = request.getParam("tenant");
          String path = request.getParam("path");
          JsonArray out = new JsonArray();
          taken.stream().filter(e -> tenant == null || tenant.equals(e.getString("tenant")))
              .filter(e -> path == null || path.equals(e.getString("path"))).forEach(out::add);
          request.response().putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("events", out).encode());
        }
        default -> request.response().setStatusCode(404).end();
      }
    } catch (Exception e) {
      request.response().setStatusCode(500).end(e.toString());
    }
  }

  private void take(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      JsonObject body = buffer.toJsonObject();
      if (body.containsKey("events")) { // a batch: applied whole, or refused whole (as scoring-service does)
        List<JsonObject> events = body.getJsonArray("events").stream().map(JsonObject.class::cast).toList();
        if (events.stream().anyMatch(e -> sick.contains(e.getString("order_no", "")))) {
          request.response().setStatusCode(500).end("{\"title\": \"sick\"}");
        } else if (events.stream().anyMatch(e -> e.getString("order_no", "").startsWith("POISON"))) {
          request.response().setStatusCode(400).putHeader("Content-Type", "application/problem+json")
              .end("{\"status\": 400, \"title\": \"a batch with an invalid event\"}");
        } else {
          events.forEach(e -> record(request, e));
          request.response().putHeader("Content-Type", "application/json").end("{}");
        }
        return;
      }
      String orderNo = body.getString("order_no", "");
      if (sick.contains(orderNo)) {
        request.response().setStatusCode(500).end("{\"title\": \"sick\"}");
        return;
      }
      if (orderNo.startsWith("POISON")) {
        request.response().setStatusCode(422).putHeader("Content-Type", "application/problem+json")
            .end("{\"status\": 422, \"title\": \"unprocessable\"}");
        return;
      }
      record(request, body);
      request.response().setStatusCode(orderNo.startsWith("DUP") ? 409 : 200)
          .putHeader("Content-Type", "application/json").end("{}");
    });
  }

  private void record(HttpServerRequest request, JsonObject body) {
    taken.add(new JsonObject()
        .put("path", request.path())
        .put("tenant", tenant(request.getHeader("Authorization")))
        .put("request_id", request.getHeader("X-Request-Id"))
        .put("event_id", body.getString("event_id"))
        .put("type", body.getString("type"))
        .put("order_no", body.getString("order_no", ""))
        .put("customer_id", body.getValue("customer_id"))
        .put("occurred_at", body.getString("occurred_at"))
        .put("fields", new JsonArray(body.fieldNames().stream().sorted().toList()))
        .put("payload_status", body.getJsonObject("payload").getString("status")));
  }


  private static String tenant(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return null;
    }
    String[] parts = authorization.substring(7).split("\\.");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    return claims.getString("tenant_id");
  }
}
