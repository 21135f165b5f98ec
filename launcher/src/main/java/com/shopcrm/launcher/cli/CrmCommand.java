package com.shopcrm.launcher.cli;

import com.shopcrm.launcher.PlatformException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./crm}: the operator's command (ARCHITECTURE §5). */
@Command(name = "crm", mixinStandardHelpOptions = true, version = "Shop CRM launcher 0.1.0",
    description = "Runs the Shop CRM platform on this machine.",
    subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, LogsCommand.class,
        ImportCommand.class, GenerateCommand.class, CommandLine.HelpCommand.class})
public class CrmCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with the launcher's error handling: a {@link PlatformException} is a one-line message. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CrmCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (e instanceof PlatformException) {
        err.println("crm: " + e.getMessage());
      } else {
        err.println("crm: unexpected failure: " + e);
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
