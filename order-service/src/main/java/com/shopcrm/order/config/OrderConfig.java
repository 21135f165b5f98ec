package com.shopcrm.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** order-service settings ({@code crm.order.*}). */
@ConfigMapping(prefix = "crm.order")
public interface OrderConfig {

  CustomerRetry customerRetry();

  /** The background resolution of orders stored while customer-service was down. */
  interface CustomerRetry {
    /** How often it runs (a Quarkus duration, or {@code off}); read by the {@code @Scheduled} expression. */
    @WithDefault("30s")
    String every();

    /** Pending orders resolved per tenant and run (one customer-service call each). */
    @WithDefault("1000")
    int batchSize();

    /** Tenants visited per run. */
    @WithDefault("100")
    int tenantsPerRun();
  }
}
