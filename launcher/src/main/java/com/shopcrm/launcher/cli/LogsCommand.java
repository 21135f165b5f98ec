package com.shopcrm.launcher.cli;

import com.shopcrm.launcher.Platform;
import com.shopcrm.launcher.PlatformException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "logs", description = "Print (or follow) a service's log.")
class LogsCommand implements Callable<Integer> {

  @Mixin
  PlatformOptions options;

  @Parameters(paramLabel = "SERVICE",
      description = "gateway, customer-service, order-service, scoring-service, campaign-service (or customer,"
          + " order, ...), or postgres for the embedded PostgreSQL.")
  String service;

  @Option(names = {"-f", "--follow"}, description = "Keep printing what is appended, until Ctrl-C.")
  boolean follow;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Path log = new Platform(options.toConfig(), out).logFile(service);
    if (!Files.exists(log) && !follow) {
      throw new PlatformException("no log yet at " + log);
    }
    long position = 0;
    do {
      if (Files.exists(log)) {
        if (Files.size(log) < position) {
          position = 0; // the service was restarted and its log started over
        }
        byte[] fresh;
        try (InputStream in = Files.newInputStream(log)) {
          in.skipNBytes(position);
          fresh = in.readAllBytes();
        }
        // Whole lines only, so a multi-byte character is never cut in two.
        int end = follow ? lastNewline(fresh) + 1 : fresh.length;
        out.print(new String(fresh, 0, end, StandardCharsets.UTF_8));
        out.flush();
        position += end;
      }
      if (follow) {
        Thread.sleep(500);
      }
    } while (follow);
    return 0;
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
