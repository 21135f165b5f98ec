package com.shopcrm.launcher.cli;

import com.shopcrm.launcher.Platform;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "down", description = "Stop what up started, including an embedded PostgreSQL (its data is kept).")
class DownCommand implements Callable<Integer> {

  @Mixin
  PlatformOptions options;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    new Platform(options.toConfig(), spec.commandLine().getOut()).down();
    return 0;
  }
}
