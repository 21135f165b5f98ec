package com.shopcrm.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A proxied request's connection to the service lives on the request's own event loop. */
class LoopLocalClientsTest {

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void sharesOutTheConnectionsOverTheEventLoops() {
    LoopLocalClients clients = new LoopLocalClients(vertx, new HttpClientOptions(), 5);
    assertEquals(2, clients.loops());
    assertEquals(3, clients.perLoopConnections());
    assertEquals(1, new LoopLocalClients(vertx, new HttpClientOptions(), 1).perLoopConnections());
    assertSame(clients.shared(), clients.current(), "off the event loops: the shared client");
  }

  @Test
  void eachEventLoopUsesItsOwnPoolAndConnectionsOnItsOwnThread() throws Exception {
    int port = vertx.createHttpServer().requestHandler(r -> r.response().end("ok"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    LoopLocalClients clients = new LoopLocalClients(vertx, new HttpClientOptions(), 4);
    Set<HttpClient> used = ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < 8; i++) { // contexts alternate over the two event loops
      ContextInternal context = ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext();
      CompletableFuture<Void> result = new CompletableFuture<>();
      done.add(result);
      context.runOnContext(v -> {
        HttpClient client = clients.current();
        used.add(client);
        EventLoop loop = context.nettyEventLoop();
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI("/"))
            .compose(request -> {
              EventLoop connectionLoop = ((ConnectionBase) request.connection()).channel().eventLoop();
              return request.send().compose(response -> {
                assertSame(loop, connectionLoop, "the connection lives on the request's event loop");
                assertTrue(loop.inEventLoop(), "the answer is handled on the same thread, no hop");
                return response.body();
              });
            })
            .<Void>mapEmpty()
            .onComplete(ar -> {
              if (ar.succeeded()) {
                result.complete(null);
              } else {
                result.completeExceptionally(ar.cause());
              }
            });
      });
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    assertEquals(2, used.size(), "one client per event loop");
    assertNotSame(clients.shared(), used.iterator().next());
  }
}
