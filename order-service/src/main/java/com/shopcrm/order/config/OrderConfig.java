package com.shopcrm.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** order-service settings ({@code crm.order.*}). */
@ConfigMapping(prefix = "crm.order")
public interface OrderConfig {

  CustomerRetry customerRetry();

  Imports imports();

  ServiceToken serviceToken();

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

  /** Bulk CSV imports ({@code POST /api/v1/orders/imports}). */
  interface Imports {
    /** Where uploads are spooled until their job is done (kept across restarts); default: java.io.tmpdir. */
    Optional<String> spoolDir();

    /** Orders written per chunk (one transaction, one progress update). */
    @WithDefault("2000")
    int chunkOrders();

    /** Rejected rows kept with their reason per job (all are counted). */
    @WithDefault("1000")
    int maxErrors();

    /** The shop's time zone, for timestamps without an offset. */
    @WithDefault("Asia/Shanghai")
    String shopZone();

    /** Buyer ids remembered per job, so a repeat buyer is resolved in customer-service once. */
    @WithDefault("300000")
    int buyerCache();
  }

  /** Internal tokens order-service signs itself for work outside a request (imports, retries). */
  interface ServiceToken {
    /** The platform's internal private key (PEM file path, or {@code classpath:...}); none: no tokens. */
    Optional<String> privateKeyLocation();

    @WithDefault("service:order-service")
    String subject();
  }
}
