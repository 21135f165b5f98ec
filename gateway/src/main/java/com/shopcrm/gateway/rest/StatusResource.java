package com.shopcrm.gateway.rest;

import com.shopcrm.gateway.routing.Upstream;
import com.shopcrm.gateway.routing.Upstreams;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Which services behind the gateway are ready, from their {@code /q/health/ready}. */
@Path("/api/v1/status")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "status")
public class StatusResource {

  public record ServiceStatus(String name, String status) {
  }

  /** {@code status} is {@code UP} when every service is ready, else {@code DEGRADED}. */
  public record PlatformStatus(String status, List<ServiceStatus> services) {
  }

  private final Upstreams upstreams;

  StatusResource(Upstreams upstreams) {
    this.upstreams = upstreams;
  }

  @GET
  @Operation(summary = "Readiness of the services behind the gateway (any valid API key)")
  public Uni<PlatformStatus> status() {
    List<Uni<ServiceStatus>> probes = new ArrayList<>();
    for (Upstream u : upstreams.all()) {
      probes.add(Uni.createFrom().completionStage(() -> u.probe("/q/health/ready").toCompletionStage())
          .map(code -> new ServiceStatus(u.name(), code == 200 ? "UP" : "DOWN"))
          .onFailure().recoverWithItem(new ServiceStatus(u.name(), "DOWN")));
    }
    if (probes.isEmpty()) {
      return Uni.createFrom().item(new PlatformStatus("UP", List.of()));
    }
    return Uni.join().all(probes).andFailFast().map(list -> new PlatformStatus(
        list.stream().allMatch(s -> s.status().equals("UP")) ? "UP" : "DEGRADED", list));
  }
}
