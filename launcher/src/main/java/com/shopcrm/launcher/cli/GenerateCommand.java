package com.shopcrm.launcher.cli;

import com.shopcrm.launcher.datagen.ShopFiles;
import com.shopcrm.launcher.datagen.ShopParameters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./crm generate}: writes a generated shop (orders CSV, customers, events, opt-outs) for import or benches. */
@Command(name = "generate", description = "Write a generated shop (BG/NBD + Gamma-Gamma orders, customers, events)"
    + " as orders.csv, customers.ndjson, events.ndjson, consent.ndjson and catalogue.csv.")
class GenerateCommand implements Callable<Integer> {

  @Option(names = "--customers", paramLabel = "N", description = "Customers (default ${DEFAULT-VALUE}).")
  int customers = 2000;

  @Option(names = "--seed", description = "Random seed: the same seed, the same shop (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--end", paramLabel = "YYYY-MM-DD",
      description = "Last day of the three-year period (default ${DEFAULT-VALUE}).")
  LocalDate end = LocalDate.of(2025, 12, 31);

  @Option(names = "--prefix", description = "Prefix of external ids and order numbers (default ${DEFAULT-VALUE}).")
  String prefix = "c";

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write into.")
  Path out;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    if (customers < 1) {
      spec.commandLine().getErr().println("crm generate: --customers must be at least 1");
      return 2;
    }
    ShopParameters params = ShopParameters.defaults(customers, end).withSeed(seed).withIdPrefix(prefix);
    long t0 = System.nanoTime();
    ShopFiles.Summary s = ShopFiles.write(params, out);
    stdout.printf("Generated %d customers, %d orders (%d CSV rows, %.2f per customer), %d events, %d opt-outs,"
            + " revenue %.0f CNY in %.1f s into %s%n", s.customers(), s.orders(), s.orderRows(),
        s.meanOrdersPerCustomer(), s.events(), s.optOuts(), s.revenue(), (System.nanoTime() - t0) / 1e9, out);
    stdout.flush();
    return 0;
  }
}
