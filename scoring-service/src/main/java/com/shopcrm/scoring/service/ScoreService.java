package com.shopcrm.scoring.service;

import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.scoring.repository.ScoreRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/** Reading customers' scores. */
@ApplicationScoped
public class ScoreService {

  private final Pool pool;
  private final ScoreRepository scores;

  ScoreService(Pool pool, ScoreRepository scores) {
    this.pool = pool;
    this.scores = scores;
  }

  /** The customer's latest score row, or an empty item when the tenant has none for that id. */
  public Uni<Row> find(TenantContext tenant, long customerId) {
    return scores.find(pool, tenant.tenantId(), customerId);
  }
}
