package com.shopcrm.launcher.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", description = "Import an order export (CSV) into a tenant.")
class ImportCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "The CSV file.")
  Path file;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("crm import: not available yet; POST the file to"
        + " /api/v1/orders/imports?format=generic|taobao instead.");
    return 2;
  }
}
