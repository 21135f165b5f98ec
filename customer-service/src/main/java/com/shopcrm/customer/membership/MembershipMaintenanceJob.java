package com.shopcrm.customer.membership;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Daily points expiry and tier re-evaluation for every tenant ({@code crm.membership.maintenance-cron}). */
@ApplicationScoped
public class MembershipMaintenanceJob {

  private final MembershipService membership;

  MembershipMaintenanceJob(MembershipService membership) {
    this.membership = membership;
  }

  @Scheduled(identity = "membership-maintenance", cron = "${crm.membership.maintenance-cron:0 30 3 * * ?}",
      timeZone = "Asia/Shanghai", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> run() {
    return membership.maintainAll()
        .invoke(tenants -> Log.infof("membership maintenance done for %d tenants", tenants))
        .onFailure().invoke(e -> Log.error("membership maintenance failed", e))
        .onFailure().recoverWithNull()
        .replaceWithVoid();
  }
}
