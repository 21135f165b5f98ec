package com.shopcrm.order.events;

import com.shopcrm.order.config.OrderEventsConfig;
import com.shopcrm.order.config.OrderEventsConfig.Subscriber;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * POSTs one event to one subscriber: {@code {event_id, type, customer_id, order_no, occurred_at,
 * payload}} (customer-service's membership consumer takes exactly this body, strictly), with the
 * tenant's service token and {@code X-Request-Id} = the event id, so the consumer's logs and its
 * dedupe key name the same thing. Never fails: every outcome is an {@link Attempt}. Retries and
 * back-off belong to the dispatcher (they must survive a restart), not to this call.
 */
@ApplicationScoped
public class SubscriberClient {

  private final HttpClient http;
  private final long timeoutMillis;

  SubscriberClient(Vertx vertx, OrderEventsConfig config) {
    this.timeoutMillis = config.events().timeout().toMillis();
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) timeoutMillis)
        .setMaxPoolSize(Math.max(2, config.events().concurrency())));
  }

  @PreDestroy
  void close() {
    http.closeAndAwait();
  }

  static String body(OutboxEvent e) {
    return new JsonObject()
        .put("event_id", e.eventId().toString())
        .put("type", e.type())
        .put("customer_id", e.customerId())
        .put("order_no", e.orderNo())
        .put("occurred_at", e.occurredAt().toString())
        .put("payload", new JsonObject(e.payload()))
        .encode();
  }

  Uni<Attempt> deliver(Subscriber subscriber, OutboxEvent event, String authorization) {
    return post(subscriber, body(event), event.eventId().toString(), authorization);
  }

  /** Several events of one tenant in one call, {@code {"events": [...]}} in seq order; X-Request-Id = the first's id. */
  Uni<Attempt> deliverAll(Subscriber subscriber, List<OutboxEvent> events, String authorization) {
    StringBuilder body = new StringBuilder("{\"events\":[");
    for (int i = 0; i < events.size(); i++) {
      body.append(i == 0 ? "" : ",").append(body(events.get(i)));
    }
    return post(subscriber, body.append("]}").toString(), events.get(0).eventId().toString(), authorization);
  }

  private Uni<Attempt> post(Subscriber subscriber, String body, String requestId, String authorization) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(stripSlash(subscriber.url()) + subscriber.path())
        .putHeader("Content-Type", "application/json")
        .putHeader("Accept", "application/json")
        .putHeader("Authorization", authorization)
        .putHeader("X-Request-Id", requestId)
        .setIdleTimeout(timeoutMillis);
    return http.request(options)
        .flatMap(request -> request.send(Buffer.buffer(body)))
        .flatMap(response -> response.body().map(b -> Attempt.ofStatus(response.statusCode(), b.toString())))
        .ifNoItem().after(java.time.Duration.ofMillis(timeoutMillis * 2)).fail()
        .onFailure().recoverWithItem(failure -> Attempt.unreachable(failure.getClass().getSimpleName()
            + (failure.getMessage() == null ? "" : ": " + failure.getMessage())));
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
