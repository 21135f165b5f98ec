package com.shopcrm.scoring.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** scoring-service settings ({@code crm.scoring.*}). */
@ConfigMapping(prefix = "crm.scoring")
public interface ScoringConfig {

  /** The shop's time zone: purchase days are calendar days there (ARCHITECTURE §4). */
  @WithDefault("Asia/Shanghai")
  String shopZone();

  Clv clv();

  Run run();

  ServiceToken serviceToken();

  Resync resync();

  Recommendations recommendations();

  /** Predicted CLV defaults; a run may override horizon and discount rate. */
  interface Clv {
    @WithDefault("365")
    double horizonDays();

    @WithDefault("0.10")
    double annualDiscountRate();

    /** Discounting steps over the horizon (12: about monthly). */
    @WithDefault("12")
    int steps();
  }

  /** Full scoring runs. */
  interface Run {
    /** Customers read per keyset query while streaming purchase facts. */
    @WithDefault("2000")
    int customerBatch();

    /** Scores written per set-based statement. */
    @WithDefault("1000")
    int writeBatch();

    /** Threads that score and encode blocks of customers while the run's thread sends them by COPY. */
    @WithDefault("2")
    int scoreThreads();

    /** Points of the holdout's weekly cumulative curve at most (longer holdouts are sampled). */
    @WithDefault("104")
    int maxCurvePoints();
  }

  /** Internal tokens scoring-service signs itself for work outside a request (the resync). */
  interface ServiceToken {
    /** The platform's internal private key (PEM file path, or {@code classpath:...}); none: no tokens. */
    Optional<String> privateKeyLocation();

    @WithDefault("service:scoring-service")
    String subject();
  }

  /** Backfill from order-service's event replay. */
  interface Resync {
    /** Events asked for per page (order-service allows up to 1000). */
    @WithDefault("500")
    int pageSize();
  }

  /** Item-to-item recommendations (refreshed by every full run and by POST /api/v1/recommendations/refresh). */
  interface Recommendations {
    /** Common buyers a pair of SKUs needs before it counts as similar. */
    @WithDefault("2")
    int minSupport();

    /** Neighbours kept per SKU. */
    @WithDefault("20")
    int neighbours();

    /** Customers with more distinct SKUs than this are left out of the pairs (resellers, test accounts). */
    @WithDefault("500")
    int maxBasket();
  }
}
