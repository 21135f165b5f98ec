package com.shopcrm.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {

  @Test
  void writesTheShopFilesAndSaysWhatItWrote(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = CrmCommand.commandLine();
    cli.setOut(new PrintWriter(out));

    int code = cli.execute("generate", "--customers", "50", "--seed", "9", "--out", dir.toString());

    assertEquals(0, code);
    assertEquals(50, Files.readAllLines(dir.resolve("customers.ndjson")).size());
    assertTrue(Files.readAllLines(dir.resolve("orders.csv")).size() > 50);
    assertTrue(out.toString().startsWith("Generated 50 customers, "), out.toString());
  }

  @Test
  void refusesAShopWithoutCustomers(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    CommandLine cli = CrmCommand.commandLine();
    cli.setErr(new PrintWriter(err));

    assertEquals(2, cli.execute("generate", "--customers", "0", "--out", dir.toString()));
    assertTrue(err.toString().contains("--customers must be at least 1"), err.toString());
    assertEquals(0, dir.toFile().list().length);
  }
}
