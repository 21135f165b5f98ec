package com.shopcrm.common.tenant;

import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The {@link TenantContext} of the current request, read from the internal token the gateway
 * signed (never from a client header). Request scoped, so it can be injected into resources.
 */
@RequestScoped
public class CurrentTenant {

  private final JsonWebToken token;
  private TenantContext context;

  CurrentTenant(JsonWebToken token) {
    this.token = token;
  }

  public TenantContext get() {
    if (context == null) {
      String tenantId = token.getClaim(TenantContext.TENANT_CLAIM);
      if (tenantId == null || tenantId.isBlank()) {
        throw new ProblemException(Problem.of(403, "Tenant required",
            "The internal token names no tenant; this endpoint acts on one shop's data."));
      }
      Set<String> groups = token.getGroups();
      context = new TenantContext(tenantId, token.getSubject(), groups == null ? Set.of() : Set.copyOf(groups));
    }
    return context;
  }

  /**
   * The context when another service calls with its own signed token ({@code sub} {@code service:…});
   * 403 otherwise — for internal endpoints an integration API key coming through a route may not use.
   */
  public TenantContext service() {
    TenantContext t = get();
    if (t.subject() == null || !t.subject().startsWith("service:")) {
      throw ProblemException.forbidden("internal endpoint: service tokens only");
    }
    return t;
  }
}
