package com.shopcrm.customer.privacy;

import com.shopcrm.common.auth.InternalTokenIssuer;
import com.shopcrm.common.auth.PemKeys;
import com.shopcrm.common.tenant.Roles;
import io.quarkus.logging.Log;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Calls the internal privacy endpoints of order-, scoring- and campaign-service
 * ({@code POST /api/v1/privacy/customers/export|erase}) with a fresh service token of the tenant
 * ({@code sub} = {@code service:customer-service}, role {@code integration}). Never fails: every
 * outcome is an {@link Answer} (status 0 = not configured, unreachable or timed out). Retries belong
 * to the callers: {@link ErasureRelay} keeps its steps in the database, the export answers 503.
 */
@ApplicationScoped
public class PeerServices {

  static final String EXPORT_PATH = "/api/v1/privacy/customers/export";
  static final String ERASE_PATH = "/api/v1/privacy/customers/erase";
  static final String SUBJECT = "service:customer-service";

  /** The HTTP status (0 when there was none) and the body or the failure. */
  public record Answer(int status, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public String failure() {
      return status == 0 ? body : "HTTP " + status + ": " + (body == null ? "" : body);
    }
  }

  private final HttpClient http;
  private final long timeoutMillis;
  private final InternalTokenIssuer issuer;
  /** service name -> base URL without a trailing slash (absent: not configured). */
  private final Map<String, Optional<String>> urls = new LinkedHashMap<>();

  PeerServices(Vertx vertx, PrivacyConfig config) {
    this.timeoutMillis = config.timeout().toMillis();
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) Math.min(timeoutMillis, 5000))
        .setMaxPoolSize(8));
    this.issuer = config.privateKeyLocation().filter(s -> !s.isBlank())
        .map(location -> new InternalTokenIssuer(PemKeys.readPrivateKey(location), "customer-service",
            Duration.ofSeconds(60)))
        .orElse(null);
    urls.put("order-service", trimmed(config.orderUrl()));
    urls.put("scoring-service", trimmed(config.scoringUrl()));
    urls.put("campaign-service", trimmed(config.campaignUrl()));
    urls.forEach((service, url) -> {
      if (url.isEmpty()) {
        Log.warnf("personal-data requests: %s URL not configured; erasures stay pending for it, exports answer 503",
            service);
      }
    });
    if (issuer == null) {
      Log.warn("personal-data requests: no internal private key (CRM_JWT_PRIVATE_KEY_LOCATION); erasures stay "
          + "pending, exports answer 503");
    }
  }

  @PreDestroy
  void close() {
    http.closeAndAwait();
  }

  /** The other services, in the order they are called. */
  public Set<String> services() {
    return urls.keySet();
  }

  public Uni<Answer> export(String service, String tenantId, String body) {
    return post(service, EXPORT_PATH, tenantId, body);
  }

  public Uni<Answer> erase(String service, String tenantId, String body) {
    return post(service, ERASE_PATH, tenantId, body);
  }

  private Uni<Answer> post(String service, String path, String tenantId, String body) {
    Optional<String> url = urls.getOrDefault(service, Optional.empty());
    if (url.isEmpty() || issuer == null) {
      return Uni.createFrom().item(new Answer(0, url.isEmpty() ? service + " URL not configured"
          : "no internal private key configured"));
    }
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url.get() + path)
        .putHeader("Content-Type", "application/json")
        .putHeader("Accept", "application/json")
        .putHeader("Authorization", "Bearer " + issuer.reusable(SUBJECT, tenantId, Set.of(Roles.INTEGRATION)))
        .setIdleTimeout(timeoutMillis);
    return http.request(options)
        .flatMap(request -> request.send(Buffer.buffer(body)))
        .flatMap(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString())))
        .ifNoItem().after(Duration.ofMillis(timeoutMillis)).fail()
        .onFailure().recoverWithItem(failure -> new Answer(0, failure.getClass().getSimpleName()
            + (failure.getMessage() == null ? "" : ": " + failure.getMessage())));
  }

  private static Optional<String> trimmed(Optional<String> url) {
    return url.map(String::strip).filter(s -> !s.isEmpty()).map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }
}
