package com.shopcrm.campaign.client;

import com.shopcrm.campaign.config.CampaignConfig;
import com.shopcrm.common.auth.InternalTokenIssuer;
import com.shopcrm.common.auth.PemKeys;
import com.shopcrm.common.tenant.Roles;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Internal tokens campaign-service signs itself (as order- and scoring-service do, docs/SECURITY.md
 * "Service tokens") for the dispatcher's contact look-ups in customer-service, which run outside
 * any client request: issuer {@code shop-crm-gateway}, audience {@code shop-crm}, {@code sub}
 * {@code service:campaign-service}, the message's {@code tenant_id}, groups [integration], 60 s, a
 * token reused for its first half (InternalTokenIssuer#reusable). Without a configured private key it answers empty and the external
 * adapters leave their messages queued (saying why in the log).
 */
@ApplicationScoped
public class ServiceTokens {

  static final Duration LIFETIME = Duration.ofSeconds(60);

  private final InternalTokenIssuer issuer;
  private final String subject;

  ServiceTokens(CampaignConfig config) {
    this.subject = config.serviceToken().subject();
    this.issuer = config.serviceToken().privateKeyLocation().filter(l -> !l.isBlank())
        .map(location -> new InternalTokenIssuer(PemKeys.readPrivateKey(location), "campaign-service", LIFETIME))
        .orElse(null);
  }

  /** The {@code Authorization} header value for calls on behalf of the tenant, or empty without a key. */
  public Optional<String> authorizationFor(String tenantId) {
    if (issuer == null) {
      Log.debug("no internal private key configured (CRM_JWT_PRIVATE_KEY_LOCATION): no contact look-ups");
      return Optional.empty();
    }
    return Optional.of("Bearer " + issuer.reusable(subject, tenantId, Set.of(Roles.INTEGRATION)));
  }
}
