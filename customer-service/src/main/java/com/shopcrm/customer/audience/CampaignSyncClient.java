package com.shopcrm.customer.audience;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * POSTs one sync body to campaign-service with the tenant's service token. Never fails: every
 * outcome is an {@link Answer} (status 0 = unreachable or timed out). Retries and back-off belong
 * to {@link AudienceFeedRelay}, whose outbox survives restarts; a REST client with
 * {@code @Retry} would retry inside one transaction and lose that.
 */
@ApplicationScoped
public class CampaignSyncClient {

  /** The HTTP status (0 when there was no answer) and the body or the failure. */
  public record Answer(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** Refused as invalid: retrying the same items can never succeed. */
    boolean poison() {
      return status == 400 || status == 413 || status == 422;
    }
  }

  private final HttpClient http;
  private final long timeoutMillis;

  CampaignSyncClient(Vertx vertx, AudienceFeedConfig config) {
    this.timeoutMillis = config.timeout().toMillis();
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) Math.min(timeoutMillis, 5000))
        .setMaxPoolSize(4));
  }

  @PreDestroy
  void close() {
    http.closeAndAwait();
  }

  Uni<Answer> post(String url, String authorization, String body) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url)
        .putHeader("Content-Type", "application/json")
        .putHeader("Accept", "application/json")
        .putHeader("Authorization", authorization)
        .setIdleTimeout(timeoutMillis);
    return http.request(options)
        .flatMap(request -> request.send(Buffer.buffer(body)))
        .flatMap(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString())))
        .ifNoItem().after(Duration.ofMillis(timeoutMillis * 2)).fail()
        .onFailure().recoverWithItem(failure -> new Answer(0, failure.getClass().getSimpleName()
            + (failure.getMessage() == null ? "" : ": " + failure.getMessage())));
  }
}
