package com.shopcrm.launcher.cli;

import com.shopcrm.launcher.PlatformConfig;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every subcommand shares, so a second platform can run beside a developer's own. */
public class PlatformOptions {

  @Option(names = "--port-base", paramLabel = "PORT",
      description = "Gateway port; the services take the next four (default ${DEFAULT-VALUE}).")
  int portBase = PlatformConfig.DEFAULT_PORT_BASE;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Keys, admin key, logs, pids and the embedded PostgreSQL, relative to the checkout"
          + " (default ${DEFAULT-VALUE}).")
  Path stateDir = Path.of(PlatformConfig.DEFAULT_STATE_DIR);

  @Option(names = "--db-prefix", paramLabel = "PREFIX",
      description = "Prefix of the five databases (default ${DEFAULT-VALUE}).")
  String dbPrefix = PlatformConfig.DEFAULT_DB_PREFIX;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "How long to wait for the services to become ready (default ${DEFAULT-VALUE}).")
  long timeoutSeconds = PlatformConfig.DEFAULT_READY_TIMEOUT.toSeconds();

  PlatformConfig toConfig() {
    return PlatformConfig.defaults(root(), System.getenv())
        .withStateDir(stateDir)
        .withPortBase(portBase)
        .withDbPrefix(dbPrefix)
        .withReadyTimeout(Duration.ofSeconds(timeoutSeconds));
  }

  /**
   * The checkout: {@code -Dcrm.root} (set by ./crm), else two levels above this jar
   * ({@code launcher/target/crm-launcher.jar}), else the working directory.
   */
  static Path root() {
    String property = System.getProperty("crm.root");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    try {
      Path jar = Path.of(CrmCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path candidate = jar.getParent() == null || jar.getParent().getParent() == null
          ? null : jar.getParent().getParent().getParent();
      if (candidate != null && Files.isRegularFile(candidate.resolve("crm"))) {
        return candidate;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through to the working directory
    }
    return Path.of("").toAbsolutePath();
  }
}
