package com.shopcrm.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fixed platform table (ARCHITECTURE §2, team conventions): the five services, their ports,
 * databases and the gateway's upstream variables. Everything else these tests compare is read
 * from the files themselves.
 */
final class Platform {

  /** One service module: its name is the module folder, the compose service and the k8s name. */
  record Service(String name, int port, String database, String upstreamUrlVariable) {
    Path module() {
      return root().resolve(name);
    }

    boolean isGateway() {
      return name.equals("gateway");
    }

    /** Whether it is given the internal private key ({@link #TOKEN_SIGNERS}). */
    boolean signsInternalTokens() {
      return TOKEN_SIGNERS.contains(name);
    }
  }

  /**
   * The services that hold the internal private key (docs/SECURITY.md "Service tokens"): the
   * gateway for client requests, every backend for its own background calls to another service.
   * Kept as a list of its own, apart from the launcher's, so that the two are checked against
   * each other and against the manifests.
   */
  static final Set<String> TOKEN_SIGNERS = Set.of("gateway", "customer-service", "order-service", "scoring-service",
      "campaign-service");

  static final List<Service> SERVICES = List.of(
      new Service("gateway", 8080, "crm_gateway", null),
      new Service("customer-service", 8081, "crm_customer", "CRM_CUSTOMER_URL"),
      new Service("order-service", 8082, "crm_order", "CRM_ORDER_URL"),
      new Service("scoring-service", 8083, "crm_scoring", "CRM_SCORING_URL"),
      new Service("campaign-service", 8084, "crm_campaign", "CRM_CAMPAIGN_URL"));

  static final String DOCKERFILE = "src/main/docker/Dockerfile.jvm";
  static final String READY = "/q/health/ready";
  static final String LIVE = "/q/health/live";
  static final String STARTED = "/q/health/started";

  private Platform() {
  }

  /** The repository root: {@code -Dcrm.root} (set by the pom), else the module's parent folder. */
  static Path root() {
    String configured = System.getProperty("crm.root");
    Path root = (configured == null || configured.isBlank() ? Path.of("..") : Path.of(configured))
        .toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("pom.xml"))) {
      throw new IllegalStateException("not the repository root (no pom.xml): " + root);
    }
    return root;
  }

  static Optional<Service> byName(String name) {
    return SERVICES.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  static List<Service> upstreams() {
    return SERVICES.stream().filter(s -> !s.isGateway()).toList();
  }

  /** The names of the services that hold the internal private key, in platform order. */
  static List<String> tokenSigners() {
    return SERVICES.stream().filter(Service::signsInternalTokens).map(Service::name).toList();
  }
}
