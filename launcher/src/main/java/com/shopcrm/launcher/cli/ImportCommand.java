package com.shopcrm.launcher.cli;

import com.shopcrm.launcher.PlatformConfig;
import com.shopcrm.launcher.importer.ImportClient;
import com.shopcrm.launcher.importer.OrderImport;
import com.shopcrm.launcher.importer.ProgressBar;
import java.io.Console;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
    description = {
        "Import an order export (CSV) into a tenant through the gateway: uploads FILE with a progress bar, follows"
            + " the import job until it completes or fails, and prints the report (counts, the first rejected rows"
            + " by line, the job's URL).",
        "The key is a tenant's API key (--key or CRM_API_KEY), not the platform admin key. Make one with the"
            + " admin key (printed by ./crm up, kept in .crm/admin-key): POST /api/v1/admin/tenants"
            + " {\"id\":\"shop-a\",\"name\":\"Shop A\"}, then POST /api/v1/admin/api-keys"
            + " {\"tenant_id\":\"shop-a\",\"roles\":[\"admin\"]}; the README's \"A newcomer's first five minutes\""
            + " has the curl commands.",
        "Ctrl-C while the job runs stops only the watching: the import goes on, and the command prints how to"
            + " check it."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:the import completed; every row was imported or was already there",
        "1:the import failed or rejected rows, or the gateway refused the upload (401, 403, 400, ...) or could"
            + " not be reached",
        "2:usage error: bad options, FILE not readable, no API key",
        "130:stopped with Ctrl-C (a job already accepted goes on; the command prints how to check it)"})
class ImportCommand implements Callable<Integer> {

  static final String KEY_VARIABLE = "CRM_API_KEY";

  /** The CSV formats order-service reads. */
  enum Format { generic, taobao }

  @Parameters(paramLabel = "FILE", description = "The CSV file (UTF-8 with or without BOM, or GBK).")
  Path file;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "generic (the documented columns) or taobao (the seller-center sold-items report);"
          + " default ${DEFAULT-VALUE}.")
  Format format = Format.generic;

  @Option(names = "--key", paramLabel = "KEY",
      description = "The tenant's API key; default the environment variable " + KEY_VARIABLE + ".")
  String key;

  @Option(names = "--port-base", paramLabel = "PORT",
      description = "The gateway's port on this machine (default ${DEFAULT-VALUE}).")
  int portBase = PlatformConfig.DEFAULT_PORT_BASE;

  @Option(names = "--url", paramLabel = "URL",
      description = "The gateway's URL, e.g. http://crm.example:8080 (instead of --port-base).")
  URI url;

  @Option(names = "--no-progress", description = "No progress bars, only the report.")
  boolean noProgress;

  @Option(names = "--poll-interval", paramLabel = "MILLIS", hidden = true,
      description = "How often to ask for the job's progress (default ${DEFAULT-VALUE}).")
  long pollMillis = 500;

  @Spec
  CommandSpec spec;

  private final Map<String, String> environment;
  private final boolean shutdownHook;

  ImportCommand() {
    this(System.getenv(), true);
  }

  /** For tests: another environment, and no JVM shutdown hook. */
  ImportCommand(Map<String, String> environment, boolean shutdownHook) {
    this.environment = environment;
    this.shutdownHook = shutdownHook;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();

    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      return usage(err, "cannot read " + file + (Files.isDirectory(file) ? " (a directory)" : ""));
    }
    URI gateway = url != null ? url : URI.create("http://127.0.0.1:" + portBase + "/");
    if (!"http".equalsIgnoreCase(gateway.getScheme()) && !"https".equalsIgnoreCase(gateway.getScheme())
        || gateway.getHost() == null) {
      return usage(err, "--url must be an http(s) URL with a host, e.g. http://127.0.0.1:8080 (got " + gateway + ")");
    }
    String apiKey = key != null && !key.isBlank() ? key.strip() : environment.get(KEY_VARIABLE);
    if (apiKey == null || apiKey.isBlank()) {
      return usage(err, "no API key: pass --key KEY or set " + KEY_VARIABLE + " to a tenant's API key."
          + System.lineSeparator() + "  Make one with the platform admin key (printed by ./crm up, kept in"
          + " .crm/admin-key; see the README, \"A newcomer's first five minutes\"):"
          + System.lineSeparator() + "  curl -s -X POST " + gateway.resolve("/api/v1/admin/api-keys")
          + " -H \"Authorization: Bearer $ADMIN\" -H 'Content-Type: application/json'"
          + " -d '{\"tenant_id\":\"shop-a\",\"roles\":[\"admin\"]}'"
          + System.lineSeparator() + "  (the tenant first: POST " + gateway.resolve("/api/v1/admin/tenants")
          + " with {\"id\":\"shop-a\",\"name\":\"Shop A\"})");
    }
    String keyHint = key != null && !key.isBlank() ? "<your API key>" : "$" + KEY_VARIABLE;

    OrderImport importer = new OrderImport(new ImportClient(gateway, apiKey), out, err, display(),
        Duration.ofMillis(Math.max(10, pollMillis)), keyHint);
    Thread notice = new Thread(() -> importer.interruptedNotice().ifPresent(message -> {
      err.println();
      err.println(message);
      err.flush();
    }), "crm-import-interrupted");
    if (shutdownHook) {
      Runtime.getRuntime().addShutdownHook(notice);
    }
    try {
      return importer.run(file, format.name());
    } finally {
      if (shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(notice);
        } catch (IllegalStateException e) {
          // the JVM is already shutting down (Ctrl-C): the hook tells the operator
        }
      }
    }
  }

  private ProgressBar.Display display() {
    if (noProgress) {
      return ProgressBar.Display.NONE;
    }
    Console console = System.console();
    boolean terminal = console != null && !"dumb".equals(environment.get("TERM"));
    return terminal ? ProgressBar.Display.LIVE : ProgressBar.Display.FINAL_ONLY;
  }

  private static int usage(PrintWriter err, String message) {
    err.println("crm import: " + message);
    err.flush();
    return OrderImport.USAGE;
  }
}
