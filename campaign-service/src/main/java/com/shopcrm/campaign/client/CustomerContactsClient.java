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
 * customer-service's bulk contact look-up, {@code POST /api/v1/customers/contacts}
 * {@code {"customer_ids": [...]}} (up to 5000) → {@code {"items": [{customer_id, name, phone, email,
 * consent_sms, consent_email, consent_app}]}} (role integration, unmasked; unknown, other tenants' or
 * merged ids are left out). Package-private: callers go through {@link ContactDirectory}.
 */
@RegisterRestClient(configKey = "customer-service")
@Path("/api/v1/customers")
interface CustomerContactsClient {

  @POST
  @Path("/contacts")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  Uni<ContactsResponse> contacts(@HeaderParam("Authorization") String authorization, ContactsRequest body);

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record ContactsRequest(List<Long> customerIds) {
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record ContactsResponse(List<Contact> items) {
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Contact(long customerId, String name, String phone, String email, Boolean consentSms,
      Boolean consentEmail, Boolean consentApp) {
  }
}
