package com.shopcrm.scoring.repository;

import com.shopcrm.scoring.CustomerScore;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Queries on {@code customer_score}; every one is scoped to a tenant. */
@ApplicationScoped
@WithSession
public class CustomerScoreRepository implements PanacheRepositoryBase<CustomerScore, CustomerScore.Key> {

  /** The customer's score within the tenant, or {@code null} when there is none. */
  public Uni<CustomerScore> findFor(String tenantId, long customerId) {
    return findById(new CustomerScore.Key(tenantId, customerId));
  }
}
