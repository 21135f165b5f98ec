package com.shopcrm.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to run the platform.
 *
 * @param root the repository checkout (where {@code <module>/target/quarkus-app} are)
 * @param stateDir keys, admin key, logs, pids, embedded PostgreSQL ({@code .crm} under the root)
 * @param portBase the gateway's port; the backends take the next four
 * @param dbPrefix prefix of the five databases ({@code crm_} gives {@code crm_customer}, ...)
 * @param database a PostgreSQL to use as is, or null to find one ({@link DatabaseLocator})
 * @param adminKey the platform admin key, or null for the usual precedence ({@link AdminKey})
 * @param javaOptions JVM options of every service
 * @param readyTimeout how long {@code up} waits for each group of services to become ready
 * @param environment the environment read for {@code CRM_*} settings and passed to the services
 */
public record PlatformConfig(
    Path root,
    Path stateDir,
    int portBase,
    String dbPrefix,
    DatabaseTarget database,
    String adminKey,
    List<String> javaOptions,
    Duration readyTimeout,
    Map<String, String> environment) {

  public static final int DEFAULT_PORT_BASE = 8080;
  public static final String DEFAULT_DB_PREFIX = "crm_";
  public static final String DEFAULT_STATE_DIR = ".crm";
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(180);
  /**
   * The JVM flags every service gets, measured to keep a service under 350 MB resident through a
   * million-row import or scoring run (docs/BENCHMARKS.md): a 200 MB heap with the serial
   * collector, which commits only what is live; only the C1 compiler, whose code and compiler
   * arenas are a fraction of C2's for services that spend their time waiting on PostgreSQL.
   * {@link #SERVICE_ENVIRONMENT} goes with them.
   */
  public static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xmx200m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1");
  /**
   * The gateway's JIT in place of the services' C1-only one: it is CPU-bound on the proxy path, and
   * C2 halves its CPU per request (perf, bench/gateway: 296–413 µs against 635–644 µs; closed-loop
   * ratio 0.83 against 0.63 of direct) for ~35 MB more resident (236 MB). A later
   * {@code -XX:TieredStopAtLevel} in {@code CRM_JAVA_OPTS} still wins.
   */
  public static final String GATEWAY_JIT = "-XX:TieredStopAtLevel=4";

  /** The JVM flags of one service: {@code javaOptions}, with {@link #GATEWAY_JIT} for the gateway. */
  public static List<String> jvmOptionsOf(String service, List<String> javaOptions) {
    List<String> jvm = new ArrayList<>(javaOptions);
    int c1 = jvm.indexOf("-XX:TieredStopAtLevel=1");
    if ("gateway".equals(service) && c1 >= 0) {
      jvm.set(c1, GATEWAY_JIT);
    }
    return jvm;
  }

  /** glibc's malloc arenas: two instead of eight per core, the native memory of a small service. */
  public static final Map<String, String> SERVICE_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  public PlatformConfig {
    root = root.toAbsolutePath().normalize();
    stateDir = root.resolve(stateDir).toAbsolutePath().normalize();
    javaOptions = List.copyOf(javaOptions);
    environment = Map.copyOf(environment);
    if (portBase < 1 || portBase > 65535 - ServiceSpec.all().size()) {
      throw new PlatformException("--port-base must leave room for five ports below 65536: " + portBase);
    }
  }

  /** The usual settings for a checkout at {@code root}, reading {@code CRM_JAVA_OPTS} from the environment. */
  public static PlatformConfig defaults(Path root, Map<String, String> environment) {
    List<String> jvm = new ArrayList<>(SERVICE_JVM_OPTIONS);
    String extra = environment.get("CRM_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      jvm.addAll(List.of(extra.trim().split("\\s+")));
    }
    return new PlatformConfig(root, Path.of(DEFAULT_STATE_DIR), DEFAULT_PORT_BASE, DEFAULT_DB_PREFIX, null, null,
        jvm, DEFAULT_READY_TIMEOUT, environment);
  }

  public PlatformConfig withStateDir(Path dir) {
    return new PlatformConfig(root, dir, portBase, dbPrefix, database, adminKey, javaOptions, readyTimeout, environment);
  }

  public PlatformConfig withPortBase(int base) {
    return new PlatformConfig(root, stateDir, base, dbPrefix, database, adminKey, javaOptions, readyTimeout, environment);
  }

  public PlatformConfig withDbPrefix(String prefix) {
    return new PlatformConfig(root, stateDir, portBase, prefix, database, adminKey, javaOptions, readyTimeout, environment);
  }

  public PlatformConfig withDatabase(DatabaseTarget db) {
    return new PlatformConfig(root, stateDir, portBase, dbPrefix, db, adminKey, javaOptions, readyTimeout, environment);
  }

  public PlatformConfig withAdminKey(String key) {
    return new PlatformConfig(root, stateDir, portBase, dbPrefix, database, key, javaOptions, readyTimeout, environment);
  }

  public PlatformConfig withReadyTimeout(Duration timeout) {
    return new PlatformConfig(root, stateDir, portBase, dbPrefix, database, adminKey, javaOptions, timeout, environment);
  }

  public String gatewayUrl() {
    return "http://localhost:" + portBase + "/";
  }
}
