package com.shopcrm.gateway.routing;

import com.shopcrm.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configured services and the table of path prefixes they own. */
@ApplicationScoped
public class Upstreams {

  private final Map<String, Upstream> byName = new LinkedHashMap<>();
  private final RouteTable<Upstream> routes;

  Upstreams(Vertx vertx, GatewayConfig config, Clock clock) {
    Map<String, Upstream> byPrefix = new LinkedHashMap<>();
    config.upstreams().forEach((name, c) -> {
      URI url = c.url();
      boolean ssl = "https".equalsIgnoreCase(url.getScheme());
      if (url.getHost() == null) {
        throw new IllegalArgumentException("crm.gateway.upstreams." + name + ".url is not an http(s) URL: " + url);
      }
      int port = url.getPort() > 0 ? url.getPort() : (ssl ? 443 : 80);
      String basePath = url.getRawPath() == null || url.getRawPath().equals("/") ? "" : url.getRawPath().replaceAll("/$", "");
      var connectTimeout = c.connectTimeout().orElse(config.connectTimeout());
      var clients = new LoopLocalClients(vertx,
          new HttpClientOptions()
              .setConnectTimeout((int) connectTimeout.toMillis())
              .setKeepAlive(true)
              // a connection silent in both directions for this long is dead (a stalled response body)
              .setIdleTimeout((int) (2 * c.responseTimeout().orElse(config.responseTimeout()).toSeconds() + 1))
              .setSsl(ssl)
              .setDefaultHost(url.getHost())
              .setDefaultPort(port)
              .setName("upstream-" + name),
          c.maxConnections());
      Upstream upstream = new Upstream(name, url.getHost(), port, ssl, basePath, vertx, clients, connectTimeout,
          c.responseTimeout().orElse(config.responseTimeout()),
          new CircuitBreaker(c.breakerFailures(), c.breakerOpenFor(), clock));
      byName.put(name, upstream);
      for (String prefix : c.prefixes()) {
        Upstream previous = byPrefix.put(prefix, upstream);
        if (previous != null) {
          throw new IllegalArgumentException("route prefix " + prefix + " is given to both " + previous.name() + " and " + name);
        }
      }
    });
    this.routes = new RouteTable<>(byPrefix);
  }

  /** The service owning the path, or {@code null} when it is the gateway's own. */
  public Upstream route(String path) {
    return routes.match(path);
  }

  /** The route prefix that owns the path, or {@code null}: what metrics name the request by. */
  public String prefix(String path) {
    return routes.matchingPrefix(path);
  }

  /** The upstream of that name, or {@code null}. */
  public Upstream named(String name) {
    return byName.get(name);
  }

  /** Every upstream, by name. */
  public Collection<Upstream> all() {
    return byName.values().stream().sorted(java.util.Comparator.comparing(Upstream::name)).toList();
  }

  @PreDestroy
  void close() {
    for (Upstream u : new ArrayList<>(byName.values())) {
      u.clients().close();
    }
  }
}
