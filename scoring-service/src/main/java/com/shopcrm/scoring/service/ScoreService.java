package com.shopcrm.scoring.service;

import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.scoring.CustomerScore;
import com.shopcrm.scoring.repository.CustomerScoreRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reading customers' scores. */
@ApplicationScoped
public class ScoreService {

  private final CustomerScoreRepository scores;

  ScoreService(CustomerScoreRepository scores) {
    this.scores = scores;
  }

  /** The customer's latest score, or an empty item when the tenant has none for that id. */
  public Uni<CustomerScore> find(TenantContext tenant, long customerId) {
    return scores.findFor(tenant.tenantId(), customerId);
  }
}
