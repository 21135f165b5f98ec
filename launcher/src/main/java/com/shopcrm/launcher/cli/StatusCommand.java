package com.shopcrm.launcher.cli;

import com.shopcrm.launcher.Platform;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Show each service's pid, port and readiness, and the database in use."
    + " Exits 0 when all five are ready, 3 otherwise.")
class StatusCommand implements Callable<Integer> {

  @Mixin
  PlatformOptions options;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Platform.Status status = new Platform(options.toConfig(), out).status();
    out.printf("%-18s %-8s %-6s %s%n", "SERVICE", "PID", "PORT", "STATE");
    for (Platform.ServiceStatus s : status.services()) {
      String state = s.pid() == null ? "stopped" : s.ready() ? "ready" : "running, not ready";
      out.printf("%-18s %-8s %-6d %s%n", s.name(), s.pid() == null ? "-" : s.pid(), s.port(), state);
    }
    out.println();
    if (status.database() == null) {
      out.println("Database: none yet (crm up has not run with this state directory)");
    } else {
      out.println("Database: " + status.database() + (status.databaseAnswers() ? "" : " (NOT answering)"));
    }
    out.flush();
    return status.allReady() ? 0 : 3;
  }
}
