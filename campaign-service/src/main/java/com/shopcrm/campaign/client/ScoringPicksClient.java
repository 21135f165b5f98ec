package com.shopcrm.campaign.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * scoring-service's {@code POST /api/v1/recommendations/picks}: for up to 1000 customers, which of
 * the given products each is likeliest to buy (role integration). Package-private: callers go
 * through {@link ProductPicks}.
 */
@RegisterRestClient(configKey = "scoring-service")
@Path("/api/v1/recommendations")
interface ScoringPicksClient {

  @POST
  @Path("/picks")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  Uni<PicksResponse> picks(@HeaderParam("Authorization") String authorization, PicksRequest body);

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record PicksRequest(List<Long> customerIds, List<Product> products, int limit) {
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Product(String sku, String name, String category) {
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record PicksResponse(List<Picks> items) {
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Picks(long customerId, List<Pick> products) {
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Pick(String sku, String productName) {
  }
}
