package com.shopcrm.scoring.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * order-service's event replay, {@code GET /api/v1/orders/events?after_seq=&limit=} →
 * {@code {items: [...], next_after_seq}}. Read as a tree (the consumer is tolerant of fields it
 * does not know). Package-private: callers go through {@link OrderEventFeed}, which owns timeouts,
 * retries and the circuit breaker.
 */
@RegisterRestClient(configKey = "order-service")
@Path("/api/v1/orders")
interface OrderServiceClient {

  @GET
  @Path("/events")
  @Produces(MediaType.APPLICATION_JSON)
  Uni<JsonNode> events(@HeaderParam("Authorization") String authorization, @QueryParam("after_seq") long afterSeq,
      @QueryParam("limit") int limit);
}
