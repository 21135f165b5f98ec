package com.shopcrm.gateway.routing;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One upstream's HTTP clients: one per event loop of the gateway, each with its own connection pool,
 * so a proxied request and its connection to the service stay on one thread.
 *
 * <p>Vert.x's client pool hands an idle connection to whichever caller asks, whatever event loop the
 * connection lives on. With one pool for the whole gateway, three requests in four (four event loops)
 * got a connection of another loop, and every step of the exchange — writing the request, each chunk
 * of the answer, its end — crossed threads as a queued task plus a wake-up of the other loop (17% of
 * the gateway's CPU ran inside those tasks in the profile of docs/BENCHMARKS.md, "Gateway"). A pool
 * per loop is only ever asked from its own loop, so its connections are opened there and stay there.
 *
 * <p>The upstream's {@code max-connections} is shared out over the loops (at least one each); calls
 * made off any event loop (health probes, OpenAPI fetches from a worker) use a separate shared client
 * with the whole allowance.
 */
public final class LoopLocalClients {

  /** Read-only after construction: safe to read from every event loop without locking. */
  private final Map<EventExecutor, HttpClient> byLoop;
  private final HttpClient shared;
  private final int perLoopConnections;

  LoopLocalClients(Vertx vertx, HttpClientOptions options, int maxConnections) {
    List<EventExecutor> loops = new ArrayList<>();
    ((VertxInternal) vertx).getEventLoopGroup().forEach(loops::add);
    this.perLoopConnections = Math.max(1, (maxConnections + loops.size() - 1) / Math.max(1, loops.size()));
    Map<EventExecutor, HttpClient> clients = new IdentityHashMap<>();
    for (EventExecutor loop : loops) {
      clients.put(loop, vertx.createHttpClient(new HttpClientOptions(options),
          new PoolOptions().setHttp1MaxSize(perLoopConnections)));
    }
    this.byLoop = clients;
    this.shared = vertx.createHttpClient(new HttpClientOptions(options), new PoolOptions().setHttp1MaxSize(maxConnections));
  }

  /** The client of the calling event loop; the shared one off the event loops. */
  public HttpClient current() {
    ContextInternal context = ContextInternal.current();
    if (context != null && context.isEventLoopContext()) {
      HttpClient own = byLoop.get(context.nettyEventLoop());
      if (own != null) {
        return own;
      }
    }
    return shared;
  }

  /** For probes and fetches, from any thread. */
  public HttpClient shared() {
    return shared;
  }

  public int perLoopConnections() {
    return perLoopConnections;
  }

  public int loops() {
    return byLoop.size();
  }

  void close() {
    byLoop.values().forEach(HttpClient::close);
    shared.close();
  }
}
