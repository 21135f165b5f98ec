package com.shopcrm.order.client;

import java.util.Optional;

/**
 * Where work that runs outside a request (imports, the pending-customer retry) gets an internal
 * token to call customer-service with for a tenant: {@link SignedServiceTokens} signs its own
 * (a lead decision), or answers empty when no private key is configured.
 */
public interface ServiceTokens {

  /** The {@code Authorization} header value to use for the tenant, or empty when none can be had. */
  Optional<String> authorizationFor(String tenantId);
}
