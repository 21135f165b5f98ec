package com.shopcrm.scoring.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * campaign-service's profile sync, {@code POST /api/v1/segments/profiles/sync {"profiles": [...]}}
 * (at most 5000 items, idempotent, tenant from the token). Blocking: called from the pusher's own
 * thread. Package-private: callers go through {@link CampaignProfiles}, which builds it from
 * {@code crm.campaign.url} (none configured: no client at all).
 */
@Path("/api/v1/segments")
interface CampaignServiceClient {

  @POST
  @Path("/profiles/sync")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  JsonNode syncProfiles(@HeaderParam("Authorization") String authorization, JsonNode body);
}
