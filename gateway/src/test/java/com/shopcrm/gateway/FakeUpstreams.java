package com.shopcrm.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the services behind the gateway: one small Vert.x HTTP server per service on a free
 * port serves the customer, scoring, campaign and a test-only "flaky" route; the order route points
 * at a port nobody listens on (a service that is down) unless the init arg {@code order=up} is given.
 * Also gives the gateway its bootstrap admin key, a short response timeout for the customer route
 * and a quick breaker for the flaky one.
 *
 * <ul>
 *   <li>{@code /q/health/ready} → 200; {@code /q/openapi} → the service's document from
 *       {@code fake-openapi/<service>.json}; {@code /q/info} → a build version (customer only)</li>
 *   <li>{@code POST /api/v1/customers} stores a customer (id from 1000) and {@code GET /api/v1/customers/{id}}
 *       reads it back (for the generated client)</li>
 *   <li>{@code /api/v1/flaky} → 503 while {@link #FLAKY_DOWN}, else 200; counts the requests it got</li>
 *   <li>{@code .../slow} → never answers</li>
 *   <li>{@code .../stream} → answers "first" as soon as the first body bytes arrive, then the total at the end</li>
 *   <li>anything else → echoes method, uri, headers, body length and SHA-256 as JSON (the body is hashed
 *       as it streams in, never held)</li>
 * </ul>
 */
public class FakeUpstreams implements QuarkusTestResourceLifecycleManager {

  public static final String PLATFORM_KEY = "crm_test-platform-admin-key-not-for-production";
  public static final long CUSTOMER_RESPONSE_TIMEOUT_MS = 1500;
  public static final String CUSTOMER_VERSION = "2.3.4";
  public static final AtomicBoolean FLAKY_DOWN = new AtomicBoolean(false);
  public static final AtomicInteger FLAKY_HITS = new AtomicInteger();
  private static final Map<Long, JsonObject> CUSTOMERS = new ConcurrentHashMap<>();
  private static final AtomicLong NEXT_ID = new AtomicLong(1000);

  private Vertx vertx;
  private boolean orderUp;

  @Override
  public void init(Map<String, String> initArgs) {
    orderUp = "up".equals(initArgs.get("order"));
  }

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    Map<String, String> config = new HashMap<>();
    for (String service : orderUp ? List.of("customer", "order", "scoring", "campaign", "flaky")
        : List.of("customer", "scoring", "campaign", "flaky")) {
      config.put("crm.gateway.upstreams." + service + ".url", "http://127.0.0.1:" + serve(service));
    }
    if (!orderUp) {
      config.put("crm.gateway.upstreams.order.url", "http://127.0.0.1:" + closedPort());
    }
    config.put("crm.gateway.upstreams.flaky.prefixes", "/api/v1/flaky");
    config.put("crm.gateway.upstreams.flaky.breaker-failures", "3");
    config.put("crm.gateway.upstreams.flaky.breaker-open-for", "1s");
    config.put("crm.gateway.upstreams.customer.response-timeout", CUSTOMER_RESPONSE_TIMEOUT_MS + "ms");
    config.put("crm.gateway.upstreams.scoring.max-connections", "4");
    config.put("crm.gateway.bootstrap-admin-key", PLATFORM_KEY);
    return config;
  }

  private int serve(String service) {
    Buffer openApi = resource("fake-openapi/" + service + ".json");
    HttpServer server = vertx.createHttpServer().requestHandler(request -> handle(service, openApi, request));
    try {
      return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    } catch (Exception e) {
      throw new IllegalStateException("fake upstream did not start", e);
    }
  }

  @Override
  public void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }

  private static void handle(String service, Buffer openApi, HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/q/health/ready")) {
      request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
    } else if (path.equals("/q/openapi")) {
      request.response().putHeader("Content-Type", "application/json").end(openApi);
    } else if (path.equals("/q/info") && service.equals("customer")) {
      request.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("build", new JsonObject().put("version", CUSTOMER_VERSION)).encode());
    } else if (path.startsWith("/api/v1/flaky")) {
      FLAKY_HITS.incrementAndGet();
      request.response().setStatusCode(FLAKY_DOWN.get() ? 503 : 200).putHeader("Content-Type", "application/json")
          .end("{\"flaky\":" + FLAKY_DOWN.get() + "}");
    } else if (path.equals("/api/v1/customers") && request.method().name().equals("POST")) {
      request.body().onSuccess(b -> {
        JsonObject customer = b.toJsonObject().put("id", NEXT_ID.getAndIncrement());
        CUSTOMERS.put(customer.getLong("id"), customer);
        request.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(customer.encode());
      });
    } else if (path.matches("/api/v1/customers/\\d+") && CUSTOMERS.containsKey(Long.parseLong(path.substring(18)))) {
      request.response().putHeader("Content-Type", "application/json")
          .end(CUSTOMERS.get(Long.parseLong(path.substring(18))).encode());
    } else if (path.endsWith("/delayed")) {
      // answers a large body after 300 ms: by then the test's client has gone away
      Vertx.currentContext().owner().setTimer(300, id -> request.response().putHeader("Content-Type", "text/plain")
          .end(Buffer.buffer(new byte[4 * 1024 * 1024])));
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

  private static Buffer resource(String name) {
    try (InputStream in = FakeUpstreams.class.getClassLoader().getResourceAsStream(name)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("test resource " + name + " missing", e);
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
