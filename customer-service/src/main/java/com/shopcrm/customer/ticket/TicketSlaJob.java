package com.shopcrm.customer.ticket;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The overdue scan over every tenant ({@code crm.tickets.sla-scan-cron}, every 5 minutes by default). */
@ApplicationScoped
public class TicketSlaJob {

  private final TicketService tickets;

  TicketSlaJob(TicketService tickets) {
    this.tickets = tickets;
  }

  @Scheduled(identity = "ticket-sla-scan", cron = "${crm.tickets.sla-scan-cron:0 */5 * * * ?}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> run() {
    return tickets.scanAll()
        .invoke(r -> {
          if (r.firstResponseBreaches() + r.resolutionBreaches() > 0) {
            Log.infof("SLA scan: %d first-response and %d resolution breaches", r.firstResponseBreaches(),
                r.resolutionBreaches());
          }
        })
        .onFailure().invoke(e -> Log.error("SLA scan failed", e))
        .onFailure().recoverWithNull()
        .replaceWithVoid();
  }
}
