package com.shopcrm.order.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 * customer-service's bulk upsert, {@code POST /api/v1/customers/batch}. Package-private: callers
 * go through {@link CustomerDirectory}, which owns timeouts, retries and the circuit breaker.
 */
@RegisterRestClient(configKey = "customer-service")
@Path("/api/v1/customers")
interface CustomerServiceClient {

  @POST
  @Path("/batch")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  Uni<BatchResponse> upsert(@HeaderParam("Authorization") String authorization,
      @HeaderParam("X-Request-Id") String requestId, BatchRequest body);

  /** {@code {"customers": [...]}}: snake_case whatever the client's mapper (wire contract). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record BatchRequest(List<Customer> customers) {
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Customer(String externalId, String platform, String name, String phone, String email, String province,
      String city) {
  }

  /** {@code {"results": [{index, id, external_id, status, error?}]}}, in request order. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record BatchResponse(List<Result> results) {
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Result(int index, Long id, String externalId, String status, String error) {
  }
}
