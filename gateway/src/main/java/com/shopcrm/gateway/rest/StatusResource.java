package com.shopcrm.gateway.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.gateway.openapi.OpenApiCatalog;
import com.shopcrm.gateway.routing.Upstream;
import com.shopcrm.gateway.routing.Upstreams;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Which services behind the gateway are ready (their {@code /q/health/ready}), which version each
 * runs (its {@code /q/info} {@code build.version} when it has the info endpoint, else its OpenAPI
 * document's {@code info.version}), and the state of the gateway's circuit to each.
 */
@Path("/api/v1/status")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "status")
public class StatusResource {

  /** {@code circuit}: closed (requests pass), open (refused at once), half_open (one probe passes). */
  public record ServiceStatus(String name, String status, String version, String circuit) {
  }

  /** {@code status} is {@code UP} when every service is ready, else {@code DEGRADED}. */
  public record PlatformStatus(String status, List<ServiceStatus> services) {
  }

  private final Upstreams upstreams;
  private final OpenApiCatalog openApi;
  private final ObjectMapper json;

  StatusResource(Upstreams upstreams, OpenApiCatalog openApi, ObjectMapper json) {
    this.upstreams = upstreams;
    this.openApi = openApi;
    this.json = json;
  }

  @GET
  @Operation(summary = "Readiness, version and circuit state of each service behind the gateway (any valid API key)")
  public Uni<PlatformStatus> status() {
    List<Uni<ServiceStatus>> probes = new ArrayList<>();
    for (Upstream u : upstreams.all()) {
      Uni<String> ready = Uni.createFrom().completionStage(() -> u.probe("/q/health/ready").toCompletionStage())
          .map(code -> code == 200 ? "UP" : "DOWN")
          .onFailure().recoverWithItem("DOWN");
      probes.add(Uni.combine().all().unis(ready, version(u)).asTuple()
          .map(t -> new ServiceStatus(u.name(), t.getItem1(), t.getItem2(),
              u.breaker().state().name().toLowerCase(Locale.ROOT))));
    }
    if (probes.isEmpty()) {
      return Uni.createFrom().item(new PlatformStatus("UP", List.of()));
    }
    return Uni.join().all(probes).andFailFast().map(list -> new PlatformStatus(
        list.stream().allMatch(s -> s.status().equals("UP")) ? "UP" : "DEGRADED", list));
  }

  /** The service's version, or {@code null} when it cannot be told. */
  private Uni<String> version(Upstream u) {
    return Uni.createFrom().completionStage(() -> u.fetch("/q/info").toCompletionStage())
        .map(fetched -> {
          if (fetched.status() != 200) {
            return null;
          }
          try {
            String v = json.readTree(fetched.body().getBytes()).path("build").path("version").asText(null);
            return v == null || v.isBlank() ? null : v;
          } catch (java.io.IOException e) {
            return null;
          }
        })
        .onFailure().recoverWithNull()
        .chain(v -> v != null ? Uni.createFrom().item(v)
            : openApi.document(u.name()).map(doc -> doc.path("info").path("version").asText(null))
                .onFailure().recoverWithNull());
  }
}
