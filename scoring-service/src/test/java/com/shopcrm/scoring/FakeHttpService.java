package com.shopcrm.scoring;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service another one calls, stood in for by a Vert.x server on a free local port: subclasses
 * answer the requests and say which configuration points the service under test at it.
 */
public abstract class FakeHttpService implements QuarkusTestResourceLifecycleManager {

  private Vertx vertx;

  /** The configuration naming this fake's base URL ({@code http://127.0.0.1:<port>}). */
  protected abstract Map<String, String> config(String baseUrl);

  protected abstract void handle(HttpServerRequest request);

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(this::handle);
    try {
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(getClass().getSimpleName() + " did not start", e);
    }
    return config("http://127.0.0.1:" + server.actualPort());
  }

  @Override
  public void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }
}
