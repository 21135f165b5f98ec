package com.shopcrm.customer.audience;

import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.customer.audience.AudienceOutboxRepository.Resync;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The operator's side of the audience feed: re-send a whole tenant, and see what is waiting. */
@ApplicationScoped
public class AudienceFeedService {

  /** What a resync enqueued. */
  public record ResyncView(
      @Schema(description = "Live customers enqueued (their current profiles will be sent)") long profiles,
      @Schema(description = "Behaviour events enqueued") long events,
      @Schema(description = "Parked rows dropped (superseded by the fresh ones)") long parkedDropped,
      @Schema(description = "Whether the relay is configured (CRM_CAMPAIGN_URL and the private key)") boolean feedEnabled) {
  }

  /** The tenant's outbox. */
  public record StatusView(
      @Schema(description = "Whether the relay is configured (CRM_CAMPAIGN_URL and the private key)") boolean feedEnabled,
      @Schema(description = "Profile changes waiting to be sent") long pendingProfiles,
      @Schema(description = "Behaviour events waiting to be sent") long pendingEvents,
      @Schema(description = "Rows campaign-service refused as invalid; a resync supersedes them") long parked,
      @Schema(description = "When the oldest waiting change was made; null when nothing waits") OffsetDateTime oldestPendingAt) {
  }

  private final Pool pool;
  private final AudienceOutboxRepository outbox;
  private final AudienceFeedRelay relay;

  AudienceFeedService(Pool pool, AudienceOutboxRepository outbox, AudienceFeedRelay relay) {
    this.pool = pool;
    this.outbox = outbox;
    this.relay = relay;
  }

  public Uni<ResyncView> resync(TenantContext tenant) {
    return pool.withTransaction(tx -> outbox.resync(tx, tenant.tenantId()))
        .map((Resync r) -> new ResyncView(r.profiles(), r.events(), r.parkedDropped(), relay.enabled()));
  }

  public Uni<StatusView> status(TenantContext tenant) {
    return outbox.status(pool, tenant.tenantId()).map(s -> new StatusView(relay.enabled(), s.pendingProfiles(),
        s.pendingEvents(), s.parked(), s.oldestPendingAt()));
  }
}
