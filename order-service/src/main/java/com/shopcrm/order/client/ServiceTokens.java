package com.shopcrm.order.client;

import java.util.Optional;

/**
 * Where work that runs outside a request (the pending-customer retry) gets an internal token to
 * call customer-service with for a tenant. No source is configured yet (a lead decision: a
 * service key minted by the gateway, or a service-signed token); until then the default answers
 * empty and the background retry skips.
 */
public interface ServiceTokens {

  /** The {@code Authorization} header value to use for the tenant, or empty when none can be had. */
  Optional<String> authorizationFor(String tenantId);
}
