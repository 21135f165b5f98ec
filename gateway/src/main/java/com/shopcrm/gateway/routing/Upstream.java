package com.shopcrm.gateway.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.httpproxy.ProxyContext;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * One service behind the gateway with its own connection pools and timeouts: a service that is
 * down or slow uses up only its own pools, never another route's. Proxied requests take a
 * connection from the pool of their own event loop ({@link LoopLocalClients}).
 */
public record Upstream(String name, String host, int port, boolean ssl, String basePath, Vertx vertx,
                       LoopLocalClients clients, Duration connectTimeout, Duration responseTimeout,
                       CircuitBreaker breaker) {

  /** Attachment set on a proxied exchange whose service did not answer within the response timeout. */
  public static final String TIMED_OUT = "crm.response-timed-out";
  /** Attachment: the request to the service, so the exchange can give its connection back early. */
  public static final String UPSTREAM_REQUEST = "crm.upstream-request";

  /** Why a request never reached the service (refused, unreachable, no connection in time). */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String upstream, Throwable cause) {
      super(upstream + " is not reachable: " + cause.getMessage(), cause, false, false);
    }
  }

  /**
   * Resets the exchange's request to the service, if one was opened: its connection goes back to
   * the pool (closed) instead of waiting with an answer nobody reads.
   */
  public static void release(ProxyContext exchange, Throwable why) {
    HttpClientRequest request = exchange.get(UPSTREAM_REQUEST, HttpClientRequest.class);
    if (request != null) {
      request.reset(0, why);
    }
  }

  /**
   * Opens the request to the service for the proxied exchange. The response timeout starts once
   * the client's body has been received in full (so a long upload is never cut short by it) and
   * ends when the service's response headers arrive; when it fires, the exchange is marked
   * {@link #TIMED_OUT} and the request to the service is reset.
   */
  public Future<HttpClientRequest> open(ProxyContext exchange) {
    HttpServerRequest incoming = exchange.request().proxiedRequest();
    RequestOptions options = new RequestOptions()
        .setHost(host).setPort(port).setSsl(ssl)
        .setConnectTimeout(connectTimeout.toMillis());
    return clients.current().request(options)
        .<HttpClientRequest>transform(ar -> ar.succeeded()
            ? Future.succeededFuture(ar.result())
            : Future.failedFuture(new Unavailable(name, ar.cause())))
        .onSuccess(request -> {
          exchange.set(UPSTREAM_REQUEST, request);
          if (incoming.isEnded()) {
            startResponseTimer(exchange, request);
          } else {
            // a client that breaks off its upload frees the connection at once
            incoming.end().onComplete(ar -> {
              if (ar.succeeded()) {
                startResponseTimer(exchange, request);
              } else {
                request.reset(0, ar.cause());
              }
            });
          }
        });
  }

  private void startResponseTimer(ProxyContext exchange, HttpClientRequest request) {
    long timer = vertx.setTimer(responseTimeout.toMillis(), id -> {
      exchange.set(TIMED_OUT, Boolean.TRUE);
      request.reset(0, new TimeoutException(name + " did not answer within " + responseTimeout.toMillis() + " ms"));
    });
    request.response().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** A plain GET to the service (health probes), with the same timeouts. */
  public Future<Integer> probe(String path) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET).setHost(host).setPort(port).setSsl(ssl).setURI(basePath + path)
        .setConnectTimeout(connectTimeout.toMillis()).setIdleTimeout(Math.min(responseTimeout.toMillis(), 5000));
    return clients.shared().request(options)
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())));
  }

  /** An answer to {@link #fetch}: status and body. */
  public record Fetched(int status, Buffer body) {
  }

  /** A plain GET to the service, body and all (its OpenAPI document, its version), with the same timeouts. */
  public Future<Fetched> fetch(String path) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET).setHost(host).setPort(port).setSsl(ssl).setURI(basePath + path)
        .putHeader("Accept", "application/json")
        .setConnectTimeout(connectTimeout.toMillis()).setIdleTimeout(Math.min(responseTimeout.toMillis(), 5000));
    return clients.shared().request(options)
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> new Fetched(resp.statusCode(), b))));
  }

  public String uri(String pathAndQuery) {
    return basePath + pathAndQuery;
  }
}
