package com.shopcrm.customer.privacy;

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
 * Stands in for the internal privacy endpoints of order-, scoring- and campaign-service (one server,
 * the service as the first path segment: {@code /order/api/v1/privacy/customers/erase}) and records
 * every call: service, path, the token's tenant, subject and groups, and the body. A service set down
 * through {@code POST /_fake/down?service=order} closes the connection unanswered (as when it is not
 * running); {@code POST /_fake/up?service=order} brings it back; {@code GET /_fake/calls?tenant=}
 * lists the calls. The control server is a second port (the test and this resource live in different
 * class loaders).
 */
public class FakePeerServices implements QuarkusTestResourceLifecycleManager {

  private final CopyOnWriteArrayList<JsonObject> calls = new CopyOnWriteArrayList<>();
  private final Set<String> down = ConcurrentHashMap.newKeySet();
  private Vertx vertx;

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    try {
      HttpServer control = vertx.createHttpServer().requestHandler(this::control);
      control.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      HttpServer peers = vertx.createHttpServer().requestHandler(this::serve);
      peers.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      String base = "http://127.0.0.1:" + peers.actualPort();
      return Map.of(
          "crm.privacy.order-url", base + "/order",
          "crm.privacy.scoring-url", base + "/scoring/",
          "crm.privacy.campaign-url", base + "/campaign",
          "crm.test.fake-peers", "http://127.0.0.1:" + control.actualPort());
    } catch (Exception e) {
      throw new IllegalStateException("fake services did not start", e);
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
      case "/_fake/down" -> {
        down.add(request.getParam("service"));
        request.response().end();
      }
      case "/_fake/up" -> {
        down.remove(request.getParam("service"));
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

  private void serve(HttpServerRequest request) {
    String[] parts = request.path().split("/", 3); // "", service, rest
    String service = parts.length > 1 ? parts[1] : "";
    String path = parts.length > 2 ? "/" + parts[2] : "/";
    if (down.contains(service)) {
      request.connection().close();
      return;
    }
    request.body().onSuccess(buffer -> {
      JsonObject claims = claims(request.getHeader("Authorization"));
      JsonObject body = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
      calls.add(new JsonObject()
          .put("service", service)
          .put("path", path)
          .put("tenant", claims.getString("tenant_id"))
          .put("subject", claims.getString("sub"))
          .put("groups", claims.getJsonArray("groups"))
          .put("body", body));
      JsonObject answer;
      if (path.endsWith("/export")) {
        answer = switch (service) {
          case "order" -> new JsonObject().put("orders", new JsonArray().add(new JsonObject()
              .put("order_no", "F-1").put("total_amount", 99.5).put("customer_name", "张三")));
          case "scoring" -> new JsonObject().put("scores", new JsonArray().add(new JsonObject()
              .put("customer_id", body.getJsonArray("customer_ids").getLong(0)).put("rfm_segment", "important_value")));
          default -> new JsonObject().put("campaign_messages", new JsonArray().add(new JsonObject()
              .put("body", "张三, 10 off")));
        };
      } else {
        answer = new JsonObject().put("service", service + "-service").put("changed", 1);
      }
      request.response().putHeader("Content-Type", "application/json").end(answer.encode());
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
