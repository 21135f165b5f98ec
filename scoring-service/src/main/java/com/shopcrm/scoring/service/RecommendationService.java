package com.shopcrm.scoring.service;

import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.scoring.config.ScoringConfig;
import com.shopcrm.scoring.repository.RecommendationRepository;
import com.shopcrm.scoring.repository.RecommendationRepository.Recommended;
import com.shopcrm.scoring.repository.RecommendationRepository.Refreshed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** 猜你喜欢: refreshing the tenant's item similarities and recommending to one customer. */
@ApplicationScoped
public class RecommendationService {

  /** {@code GET /api/v1/recommendations/{customer_id}}. */
  public record Recommendations(long customerId, List<Recommended> items) {
  }

  public static final int DEFAULT_LIMIT = 10;
  public static final int MAX_LIMIT = 100;

  private final Pool pool;
  private final RecommendationRepository repository;
  private final Clock clock;
  private final ScoringConfig config;

  RecommendationService(Pool pool, RecommendationRepository repository, Clock clock, ScoringConfig config) {
    this.pool = pool;
    this.repository = repository;
    this.clock = clock;
    this.config = config;
  }

  /** Recomputes the tenant's similarities and best-sellers in one transaction (readers see old or new). */
  public Uni<Refreshed> refresh(String tenantId) {
    ScoringConfig.Recommendations c = config.recommendations();
    return pool.withTransaction(tx -> repository.refresh(tx, tenantId, c.minSupport(), c.neighbours(), c.maxBasket(),
        OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)));
  }

  /**
   * The customer's recommendations; 404 problem when the tenant has no order of the customer at
   * all (this service knows customers only from their orders), 400 for a limit outside 1..100.
   */
  public Uni<Recommendations> forCustomer(TenantContext tenant, long customerId, Integer limit) {
    int n = limit == null ? DEFAULT_LIMIT : limit;
    if (n < 1 || n > MAX_LIMIT) {
      throw ProblemException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
    }
    String tenantId = tenant.tenantId();
    return repository.knows(pool, tenantId, customerId).flatMap(known -> {
      if (!known) {
        return Uni.createFrom().failure(ProblemException.notFound("customer with orders", customerId));
      }
      return repository.forCustomer(pool, tenantId, customerId, n).map(items -> new Recommendations(customerId, items));
    });
  }
}
