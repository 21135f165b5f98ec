package com.shopcrm.campaign.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.campaign.privacy.CampaignPrivacyRepository.Cleared;
import com.shopcrm.campaign.service.AudienceSyncService;
import com.shopcrm.common.privacy.PrivacyRequest;
import com.shopcrm.common.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Export and erasure of one customer's campaign data, for customer-service's personal-data requests. */
@ApplicationScoped
public class CampaignPrivacyService {

  /** What an erase changed: read-model profiles removed, message texts cleared, queued messages cancelled. */
  public record Erased(long profiles, int messages, int deliveries, int cancelled) {
  }

  private final Pool pool;
  private final CampaignPrivacyRepository privacy;
  private final AudienceSyncService audience;
  private final ObjectMapper mapper;
  private final Clock clock;

  CampaignPrivacyService(Pool pool, CampaignPrivacyRepository privacy, AudienceSyncService audience,
      ObjectMapper mapper, Clock clock) {
    this.pool = pool;
    this.privacy = privacy;
    this.audience = audience;
    this.mapper = mapper;
    this.clock = clock;
  }

  public Uni<JsonNode> export(TenantContext tenant, PrivacyRequest who) {
    return privacy.export(pool, tenant.tenantId(), who.ids()).map(json -> {
      try {
        return mapper.readTree(json);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("unreadable export", e);
      }
    });
  }

  /**
   * Clears the messages (one transaction), then removes the customers from the audience read model
   * through the same path as a {@code {customer_id, deleted: true}} profile sync item (profile,
   * events, trigger state, segment memberships with their exits; later items for them are ignored).
   * Both steps are idempotent, so a retry after a failure between them completes the erase.
   */
  public Uni<Erased> erase(TenantContext tenant, PrivacyRequest who) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    List<JsonNode> removals = who.customerIds().stream()
        .<JsonNode>map(id -> mapper.createObjectNode().put("customer_id", id).put(AudienceSyncService.DELETED, true))
        .toList();
    return pool.withTransaction(tx -> privacy.clearMessages(tx, tenant.tenantId(), who.ids(), now))
        .flatMap((Cleared cleared) -> audience.syncProfiles(tenant, removals)
            .map(sync -> new Erased(sync.deleted(), cleared.messages(), cleared.deliveries(), cleared.cancelled())));
  }
}
