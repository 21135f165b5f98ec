package com.shopcrm.common.tenant;

import java.util.Set;

/**
 * Who is calling: the tenant (shop), the subject (API key id or service) and the roles, all taken
 * from the internal token the gateway signed. Passed explicitly to services and repositories and
 * part of every query's {@code WHERE}.
 */
public record TenantContext(String tenantId, String subject, Set<String> roles) {

  public static final String TENANT_CLAIM = "tenant_id";

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /** Roles allowed to see personal data (phone, e-mail) unmasked. */
  public boolean seesPii() {
    return !roles.isEmpty() && !(roles.size() == 1 && roles.contains(Roles.ANALYST));
  }
}
