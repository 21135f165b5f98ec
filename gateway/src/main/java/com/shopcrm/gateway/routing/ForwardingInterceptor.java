package com.shopcrm.gateway.routing;

import com.shopcrm.common.problem.Problem;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Shapes one proxied request: the client's credentials and any identity headers it made up are
 * dropped, the signed internal token and the request id are added; a service that cannot be reached
 * or does not answer in time becomes a problem+json answer (503 / 504 / 502) instead of the
 * library's bare 502.
 */
final class ForwardingInterceptor implements ProxyInterceptor {

  private static final String INTERNAL_PREFIX = "x-crm-";

  private final Upstream upstream;
  private final String uri;
  private final String internalToken;
  private final String requestId;
  private final Set<String> internalHeaders;
  private final ProblemWriter problems;
  /** What the circuit admitted this request with; its outcome is reported with it. */
  private final CircuitBreaker.Permit permit;

  ForwardingInterceptor(Upstream upstream, CircuitBreaker.Permit permit, String uri, String internalToken,
                        String requestId, Set<String> internalHeaders, ProblemWriter problems) {
    this.upstream = upstream;
    this.permit = permit;
    this.uri = uri;
    this.internalToken = internalToken;
    this.requestId = requestId;
    this.internalHeaders = internalHeaders;
    this.problems = problems;
  }

  @Override
  public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
    ProxyRequest request = context.request();
    MultiMap headers = request.headers();
    // one pass over the entries (names() would build a sorted set per request); a list only when needed
    List<String> forbidden = null;
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      if (name.regionMatches(true, 0, INTERNAL_PREFIX, 0, INTERNAL_PREFIX.length())
          || internalHeaders.contains(name.toLowerCase(Locale.ROOT))) {
        if (forbidden == null) {
          forbidden = new ArrayList<>(2);
        }
        forbidden.add(name);
      }
    }
    if (forbidden != null) {
      forbidden.forEach(headers::remove);
    }
    headers.set("Authorization", "Bearer " + internalToken);
    headers.set(RequestIds.HEADER, requestId);
    request.setURI(uri);
    return context.sendRequest()
        .onSuccess(response -> {
          int status = response.getStatusCode();
          if (status == 502 || status == 503 || status == 504) {
            upstream.breaker().onFailure(permit);
          } else {
            upstream.breaker().onSuccess(permit);
          }
        })
        .recover(failure -> {
          if (context.request().proxiedRequest().response().closed()) {
            // the client went away mid-exchange: give the connection back; not the service's fault
            Upstream.release(context, failure);
          } else {
            upstream.breaker().onFailure(permit);
          }
          return Future.succeededFuture(problemResponse(context, failure));
        });
  }

  /**
   * Passes the answer on. When the client has gone away (the answer cannot be written) the request
   * to the service is reset: otherwise its connection would wait, with an unread answer, until the
   * idle timeout, and enough of those exhaust the upstream's pool.
   */
  @Override
  public Future<Void> handleProxyResponse(ProxyContext context) {
    context.response().putHeader(RequestIds.HEADER, requestId);
    if (context.request().proxiedRequest().response().closed()) {
      Upstream.release(context, new IllegalStateException("the client went away"));
      return Future.failedFuture("the client went away");
    }
    return context.sendResponse().onFailure(e -> Upstream.release(context, e));
  }

  private ProxyResponse problemResponse(ProxyContext context, Throwable failure) {
    Problem problem;
    if (failure instanceof Upstream.Unavailable) {
      Log.warnf("%s: %s", upstream.name(), failure.getMessage());
      problem = Problem.of(503, "Service unavailable",
          "The " + upstream.name() + " service is not reachable right now; try again shortly.");
    } else if (Boolean.TRUE.equals(context.get(Upstream.TIMED_OUT, Boolean.class)) || failure instanceof TimeoutException) {
      Log.warnf("%s did not answer within %d ms", upstream.name(), upstream.responseTimeout().toMillis());
      problem = Problem.of(504, "Gateway timeout",
          "The " + upstream.name() + " service did not answer in time.");
    } else {
      Log.warnf("%s failed: %s", upstream.name(), String.valueOf(failure));
      problem = Problem.of(502, "Bad gateway", "The " + upstream.name() + " service broke off the exchange.");
    }
    ProxyResponse response = context.request().release().response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", Problem.MEDIA_TYPE)
        .setBody(Body.body(problems.body(problem)));
    if (problem.status() == 503) {
      response.putHeader("Retry-After", "5");
    }
    return response;
  }
}
