package com.shopcrm.scoring.client;

import com.shopcrm.common.auth.InternalTokenIssuer;
import com.shopcrm.common.auth.PemKeys;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.scoring.config.ScoringConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Internal tokens scoring-service signs itself (RS256, the platform's internal private key at
 * {@code CRM_JWT_PRIVATE_KEY_LOCATION}) for the calls it
 * makes outside a request: a resync job pages through order-service's event replay long after the
 * gateway's 60 s token expired. Claims as the gateway's (ARCHITECTURE §3): issuer
 * {@code shop-crm-gateway}, audience {@code shop-crm}, {@code sub} {@code service:scoring-service},
 * the job's {@code tenant_id}, groups [integration], a {@code jti}, 60 s lifetime, reused for its first
 * 30 s (InternalTokenIssuer#reusable). Without a configured key it answers empty and a resync is refused (503).
 */
@ApplicationScoped
public class ServiceTokens {

  static final Duration LIFETIME = Duration.ofSeconds(60);

  private final InternalTokenIssuer issuer;
  private final String subject;

  ServiceTokens(ScoringConfig config) {
    this.subject = config.serviceToken().subject();
    this.issuer = config.serviceToken().privateKeyLocation()
        .map(location -> new InternalTokenIssuer(PemKeys.readPrivateKey(location), "scoring-service", LIFETIME))
        .orElse(null);
    if (issuer == null) {
      Log.info("no internal private key configured (CRM_JWT_PRIVATE_KEY_LOCATION): resync from "
          + "order-service is off");
    }
  }

  /** The {@code Authorization} header value for the tenant, or empty when no key is configured. */
  public Optional<String> authorizationFor(String tenantId) {
    if (issuer == null) {
      return Optional.empty();
    }
    return Optional.of("Bearer " + issuer.reusable(subject, tenantId, Set.of(Roles.INTEGRATION)));
  }

  public boolean available() {
    return issuer != null;
  }
}
