package com.shopcrm.scoring.service;

import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.scoring.config.ScoringConfig;
import com.shopcrm.scoring.repository.RecommendationRepository;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.Problem.FieldError;
import com.shopcrm.scoring.repository.RecommendationRepository.Candidate;
import com.shopcrm.scoring.repository.RecommendationRepository.Recommended;
import com.shopcrm.scoring.repository.RecommendationRepository.Refreshed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** 猜你喜欢: refreshing the tenant's item similarities and recommending to one customer. */
@ApplicationScoped
public class RecommendationService {

  /** {@code GET /api/v1/recommendations/{customer_id}}. */
  public record Recommendations(long customerId, List<Recommended> items) {
  }

  /** {@code POST /api/v1/recommendations/picks}. */
  public record PicksRequest(List<Long> customerIds, List<Candidate> products, Integer limit) {
  }

  /** One customer's picks. */
  public record Picks(long customerId, List<Recommended> products) {
  }

  public record PicksResult(List<Picks> items) {
  }

  public static final int MAX_PICK_CUSTOMERS = 1000;
  public static final int MAX_CANDIDATES = 100;
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

  /**
   * For each customer, which of the given products (new arrivals, say) to recommend: 400 problem for
   * 1..1000 customers, 1..100 products with a SKU, limit outside 1..100 (default 3).
   */
  public Uni<PicksResult> picks(TenantContext tenant, PicksRequest in) {
    List<FieldError> errors = new ArrayList<>();
    if (in == null || in.customerIds() == null || in.customerIds().isEmpty()
        || in.customerIds().size() > MAX_PICK_CUSTOMERS || in.customerIds().contains(null)) {
      errors.add(new FieldError("customer_ids", "1 to " + MAX_PICK_CUSTOMERS + " customer ids"));
    }
    if (in == null || in.products() == null || in.products().isEmpty() || in.products().size() > MAX_CANDIDATES) {
      errors.add(new FieldError("products", "1 to " + MAX_CANDIDATES + " products"));
    } else {
      Set<String> skus = new HashSet<>();
      for (int i = 0; i < in.products().size(); i++) {
        Candidate c = in.products().get(i);
        if (c == null || c.sku() == null || c.sku().isBlank() || c.sku().length() > 100) {
          errors.add(new FieldError("products[" + i + "].sku", "required, at most 100 characters"));
        } else if (!skus.add(c.sku())) {
          errors.add(new FieldError("products[" + i + "].sku", "listed twice"));
        }
      }
    }
    int n = in == null || in.limit() == null ? 3 : in.limit();
    if (n < 1 || n > MAX_LIMIT) {
      errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors.stream().map(e -> e.field() + ": " + e.message())
          .collect(Collectors.joining("; ")), errors));
    }
    return repository.picks(pool, tenant.tenantId(), in.customerIds().toArray(Long[]::new), in.products(), n)
        .map(picks -> new PicksResult(picks.entrySet().stream().map(e -> new Picks(e.getKey(), e.getValue())).toList()));
  }
}
