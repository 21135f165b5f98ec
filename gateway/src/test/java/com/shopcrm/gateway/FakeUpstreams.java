package com.shopcrm.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the services behind the gateway: one small Vert.x HTTP server on a free port serves
 * the customer, scoring and campaign routes; the order route points at a port nobody listens on (a
 * service that is down). Also gives the gateway its bootstrap admin key and a short response
 * timeout for the customer route.
 *
 * <ul>
 *   <li>{@code /q/health/ready} → 200</li>
 *   <li>{@code .../slow} → never answers</li>
 *   <li>{@code .../stream} → answers "first" as soon as the first body bytes arrive, then the total at the end</li>
 *   <li>anything else → echoes method, uri, headers, body length and SHA-256 as JSON (the body is hashed
 *       as it streams in, never held)</li>
 * </ul>
 */
public class FakeUpstreams implements QuarkusTestResourceLifecycleManager {

  public static final String PLATFORM_KEY = "crm_test-platform-admin-key-not-for-production";
  public static final long CUSTOMER_RESPONSE_TIMEOUT_MS = 1500;

  private Vertx vertx;

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(FakeUpstreams::handle);
    try {
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fake upstream did not start", e);
    }
    String url = "http://127.0.0.1:" + server.actualPort();
    return Map.of(
        "crm.gateway.upstreams.customer.url", url,
        "crm.gateway.upstreams.scoring.url", url,
        "crm.gateway.upstreams.campaign.url", url,
        "crm.gateway.upstreams.order.url", "http://127.0.0.1:" + closedPort(),
        "crm.gateway.upstreams.customer.response-timeout", CUSTOMER_RESPONSE_TIMEOUT_MS + "ms",
        "crm.gateway.bootstrap-admin-key", PLATFORM_KEY);
  }

  @Override
  public void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }

  private static void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/q/health/ready")) {
      request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
    } else if (path.endsWith("/slow")) {
      request.pause(); // and never answer
    } else if (path.endsWith("/stream")) {
      long[] total = {0};
      request.response().setChunked(true).putHeader("Content-Type", "text/plain");
      request.handler(chunk -> {
        if (total[0] == 0) {
          request.response().write("first\n");
        }
        total[0] += chunk.length();
      });
      request.endHandler(v -> request.response().end("total=" + total[0] + "\n"));
    } else {
      echo(request);
    }
  }

  private static void echo(HttpServerRequest request) {
    MessageDigest sha = sha256();
    long[] length = {0};
    request.handler(chunk -> {
      sha.update(chunk.getBytes());
      length[0] += chunk.length();
    });
    request.endHandler(v -> {
      JsonObject headers = new JsonObject();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      JsonObject body = new JsonObject()
          .put("method", request.method().name())
          .put("uri", request.uri())
          .put("headers", headers)
          .put("body_length", length[0])
          .put("body_sha256", HexFormat.of().formatHex(sha.digest()));
      request.response().putHeader("Content-Type", "application/json")
          .putHeader("X-Request-Id", String.valueOf(request.getHeader("X-Request-Id")))
          .end(Buffer.buffer(body.encode()));
    });
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int closedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
