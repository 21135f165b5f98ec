package com.shopcrm.launcher.cli;

import com.shopcrm.launcher.AdminKey;
import com.shopcrm.launcher.Platform;
import com.shopcrm.launcher.demo.DemoShop;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "up", description = "Start PostgreSQL (if needed) and the five services; wait until all are ready.")
class UpCommand implements Callable<Integer> {

  @Mixin
  PlatformOptions options;

  @Option(names = "--demo", description = "Also load a generated demo shop (tenant demo; skipped when loaded).")
  boolean demo;

  @Option(names = "--demo-customers", paramLabel = "N", hidden = true,
      description = "Customers of the demo shop (default ${DEFAULT-VALUE}).")
  int demoCustomers = 2000;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Platform platform = new Platform(options.toConfig(), out);
    Platform.Running running = platform.up();
    String url = running.gatewayUrl();
    String key = running.adminKey().value();
    String api = url + "api/v1";
    out.println();
    out.println("Shop CRM is up.");
    out.println("  Console:   " + url);
    out.println("  Admin key: " + key + describe(running.adminKey()));
    out.println("  Database:  " + running.database().describe());
    out.println();
    out.println("Try it (create a tenant, an API key for it, then a customer with that key):");
    out.println("  curl -s -X POST " + api + "/admin/tenants -H 'Authorization: Bearer " + key + "'"
        + " -H 'Content-Type: application/json' -d '{\"id\":\"shop-a\",\"name\":\"Shop A\"}'");
    out.println("  curl -s -X POST " + api + "/admin/api-keys -H 'Authorization: Bearer " + key + "'"
        + " -H 'Content-Type: application/json' -d '{\"tenant_id\":\"shop-a\",\"roles\":[\"admin\"]}'");
    out.println("  curl -s -X POST " + api + "/customers -H 'Authorization: Bearer <key from the answer above>'"
        + " -H 'Content-Type: application/json' -d '{\"name\":\"Li Lei\",\"phone\":\"15212343170\"}'");
    if (demo) {
      out.println();
      DemoShop.Result result = new DemoShop(URI.create(url), key, platform.config().stateDir(), out,
          Clock.systemUTC(), DemoShop.timeoutFor(demoCustomers)).load(demoCustomers);
      out.println("  Demo shop: tenant '" + DemoShop.TENANT + "', admin key " + result.key()
          + "  (saved in the state directory's demo-key)");
      out.println("  curl -s " + api + "/kpis/rfm-distribution -H 'Authorization: Bearer " + result.key() + "'");
    }
    out.println();
    out.println("Stop with ./crm down; see ./crm status and ./crm logs SERVICE [-f].");
    out.flush();
    return 0;
  }

  private static String describe(AdminKey key) {
    return switch (key.source()) {
      case ENVIRONMENT -> "  (from CRM_BOOTSTRAP_ADMIN_KEY)";
      case SAVED -> "  (saved in the state directory's admin-key)";
      case GENERATED -> "  (new; saved in the state directory's admin-key)";
    };
  }
}
