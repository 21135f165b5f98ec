package com.shopcrm.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.gateway.routing.Upstream;
import com.shopcrm.gateway.routing.Upstreams;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The services' OpenAPI documents, fetched from their {@code /q/openapi} (public there) and kept for
 * a minute; when a service cannot be reached its last document is used, and a service never reached
 * is left out of the merged document (named in {@code x-unavailable-services}) rather than failing it.
 */
@ApplicationScoped
public class OpenApiCatalog {

  public static final String GATEWAY = "gateway";
  static final Duration TTL = Duration.ofSeconds(60);
  private static final String OWN_DOCUMENT = "META-INF/quarkus-generated-openapi-doc.JSON";

  private record Cached(JsonNode document, long fetchedAtMillis) {
  }

  private final Upstreams upstreams;
  private final ObjectMapper json;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private volatile JsonNode own;

  OpenApiCatalog(Upstreams upstreams, ObjectMapper json, Clock clock) {
    this.upstreams = upstreams;
    this.json = json;
    this.clock = clock;
  }

  /** The names {@link #document} knows: the gateway and each upstream. */
  public List<String> names() {
    List<String> names = new ArrayList<>(List.of(GATEWAY));
    upstreams.all().forEach(u -> names.add(u.name()));
    return names;
  }

  /** One service's own document as it serves it; 404 for an unknown name, 503 when it was never reachable. */
  public Uni<JsonNode> document(String name) {
    if (GATEWAY.equals(name)) {
      return Uni.createFrom().item(this::own);
    }
    Upstream upstream = upstreams.named(name);
    if (upstream == null) {
      return Uni.createFrom().failure(ProblemException.notFound("service", name));
    }
    return fetch(upstream).onItem().ifNull().failWith(() -> new ProblemException(Problem.of(503, "Service unavailable",
        "The " + name + " service's OpenAPI document cannot be fetched right now; try again shortly.")));
  }

  /** The merged document (see {@link OpenApiMerger}). */
  public Uni<ObjectNode> aggregated() {
    List<Uni<JsonNode>> docs = new ArrayList<>();
    for (Upstream u : upstreams.all()) {
      docs.add(fetch(u));
    }
    Uni<List<JsonNode>> all = docs.isEmpty() ? Uni.createFrom().item(List.of())
        : Uni.join().all(docs).andCollectFailures().map(list -> list);
    return all.map(list -> {
      List<OpenApiMerger.Source> sources = new ArrayList<>();
      sources.add(new OpenApiMerger.Source(GATEWAY, own(), path -> path.startsWith("/api/v1/") && upstreams.route(path) == null));
      List<String> missing = new ArrayList<>();
      int i = 0;
      for (Upstream u : upstreams.all()) {
        JsonNode doc = list.get(i++);
        if (doc == null) {
          missing.add(u.name());
        } else {
          sources.add(new OpenApiMerger.Source(u.name(), doc, path -> upstreams.route(path) == u));
        }
      }
      ObjectNode merged = OpenApiMerger.merge("Shop CRM API", own().path("info").path("version").asText("1.0"), sources,
          Set.of("/api/v1/openapi", "/api/v1/openapi/{service}"));
      if (!missing.isEmpty()) {
        merged.putPOJO("x-unavailable-services", missing);
      }
      return merged;
    });
  }

  /** The service's document: fresh from cache, else fetched; the stale one when fetching fails; {@code null} if none. */
  private Uni<JsonNode> fetch(Upstream upstream) {
    Cached cached = cache.get(upstream.name());
    long now = clock.millis();
    if (cached != null && now - cached.fetchedAtMillis() < TTL.toMillis()) {
      return Uni.createFrom().item(cached.document());
    }
    return Uni.createFrom().completionStage(() -> upstream.fetch("/q/openapi?format=json").toCompletionStage())
        .map(fetched -> {
          if (fetched.status() != 200) {
            throw new IllegalStateException("status " + fetched.status());
          }
          try {
            JsonNode doc = json.readTree(fetched.body().getBytes());
            cache.put(upstream.name(), new Cached(doc, clock.millis()));
            return doc;
          } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + e.getMessage(), e);
          }
        })
        .onFailure().recoverWithItem(failure -> {
          Log.warnf("OpenAPI document of %s not fetched: %s", upstream.name(), failure.getMessage());
          return cached == null ? null : cached.document();
        });
  }

  private JsonNode own() {
    JsonNode doc = own;
    if (doc == null) {
      try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(OWN_DOCUMENT)) {
        doc = in == null ? json.createObjectNode() : json.readTree(in);
      } catch (IOException e) {
        throw new IllegalStateException("the gateway's own OpenAPI document cannot be read", e);
      }
      own = doc;
    }
    return doc;
  }
}
