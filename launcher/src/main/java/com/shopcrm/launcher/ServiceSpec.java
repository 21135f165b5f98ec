package com.shopcrm.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One of the five services: its Maven module (which is also its name), its port relative to the
 * platform's port base (the gateway sits on the base itself) and its database name without the
 * prefix.
 */
public record ServiceSpec(String name, int portOffset, String databaseSuffix) {

  public static final ServiceSpec CUSTOMER = new ServiceSpec("customer-service", 1, "customer");
  public static final ServiceSpec ORDER = new ServiceSpec("order-service", 2, "order");
  public static final ServiceSpec SCORING = new ServiceSpec("scoring-service", 3, "scoring");
  public static final ServiceSpec CAMPAIGN = new ServiceSpec("campaign-service", 4, "campaign");
  public static final ServiceSpec GATEWAY = new ServiceSpec("gateway", 0, "gateway");

  /** The services behind the gateway, started first. */
  public static final List<ServiceSpec> BACKENDS = List.of(CUSTOMER, ORDER, SCORING, CAMPAIGN);

  /**
   * The services that sign internal tokens with the platform's private key: the gateway for client
   * requests; order-service and scoring-service for their background calls (imports, event
   * dispatch, resync, score push), which outlive the gateway's 60 s token; customer-service for its
   * audience feed to campaign-service, and campaign-service for the contact look-ups of its e-mail
   * and SMS adapters (docs/SECURITY.md, "Service tokens").
   */
  public static final List<ServiceSpec> TOKEN_SIGNERS = List.of(GATEWAY, CUSTOMER, ORDER, SCORING, CAMPAIGN);

  /** Every service in start order: the backends, then the gateway. */
  public static List<ServiceSpec> all() {
    List<ServiceSpec> all = new ArrayList<>(BACKENDS);
    all.add(GATEWAY);
    return List.copyOf(all);
  }

  /** Accepts the module name ({@code customer-service}) or its short form ({@code customer}). */
  public static Optional<ServiceSpec> byName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return all().stream()
        .filter(s -> s.name.equals(wanted) || s.databaseSuffix.equals(wanted))
        .findFirst();
  }

  /** Whether this service is given the internal private key ({@link #TOKEN_SIGNERS}). */
  public boolean signsInternalTokens() {
    return TOKEN_SIGNERS.contains(this);
  }

  public int port(int portBase) {
    return portBase + portOffset;
  }

  public String database(String prefix) {
    return prefix + databaseSuffix;
  }

  /** The Quarkus fast-jar the module's build produces. */
  public Path jar(Path root) {
    return root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
  }

  /** The environment variable the gateway reads this backend's URL from ({@code CRM_CUSTOMER_URL}). */
  public String urlVariable() {
    return "CRM_" + databaseSuffix.toUpperCase(Locale.ROOT) + "_URL";
  }
}
