package com.shopcrm.gateway.auth;

import com.shopcrm.common.tenant.Roles;
import java.util.Set;

/**
 * Who sent a request, as the API key says: the key's id, its shop (none for a platform key) and
 * its roles.
 */
public record Caller(String keyId, String tenantId, Set<String> roles) {

  /** Where the gateway keeps the caller of a request (a {@code RoutingContext} data key). */
  public static final String CONTEXT_KEY = "crm.caller";

  public boolean isPlatform() {
    return tenantId == null;
  }

  /** A shop's own admin: may manage that shop's keys. */
  public boolean isTenantAdmin() {
    return tenantId != null && roles.contains(Roles.ADMIN);
  }
}
