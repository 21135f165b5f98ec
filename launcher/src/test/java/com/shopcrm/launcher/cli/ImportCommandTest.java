package com.shopcrm.launcher.cli;

import static com.shopcrm.launcher.cli.FakeGateway.job;
import static com.shopcrm.launcher.cli.FakeGateway.problem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportCommandTest {

  @TempDir
  Path dir;

  FakeGateway gateway;
  Path csv;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws IOException {
    gateway = new FakeGateway();
    csv = dir.resolve("orders.csv");
    Files.writeString(csv, "order_no,customer_external_id,ordered_at,total_amount\nA1,c1,2024-01-02,10.5\n");
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  int crm(Map<String, String> environment, String... args) {
    CommandLine cli = new CommandLine(new ImportCommand(environment, false));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  int crmImport(String... more) {
    List<String> args = new ArrayList<>(List.of("--url", gateway.url().toString(), "--key", "tenant-key-1",
        "--poll-interval", "20"));
    args.addAll(List.of(more));
    return crm(Map.of(), args.toArray(String[]::new));
  }

  @Test
  void uploadsTheFileBytesIntactWithKeyTypeAndFormat() throws IOException {
    // Larger than the HTTP client's buffers, GBK text and arbitrary bytes: nothing may be re-encoded or cut.
    byte[] gbk = "订单编号,买家会员名,总金额\r\nT1,张三,\"1,000.50\"\r\n".getBytes(Charset.forName("GBK"));
    byte[] noise = new byte[700_000];
    new Random(42).nextBytes(noise);
    byte[] content = new byte[gbk.length + noise.length];
    System.arraycopy(gbk, 0, content, 0, gbk.length);
    System.arraycopy(noise, 0, content, gbk.length, noise.length);
    Path export = dir.resolve("taobao-export.csv");
    Files.write(export, content);
    gateway.thenPolls(job(200, "completed", 1, 0, 0, 1000, "[]", null));

    int code = crmImport("--format", "taobao", export.toString());

    assertEquals(0, code, err.toString());
    assertEquals(1, gateway.uploads.size());
    FakeGateway.Upload upload = gateway.uploads.get(0);
    assertEquals("POST", upload.method());
    assertEquals("format=taobao", upload.query());
    assertEquals("Bearer tenant-key-1", upload.authorization());
    assertEquals("text/csv", upload.contentType());
    assertArrayEquals(content, upload.body());
    assertEquals("Bearer tenant-key-1", gateway.pollAuthorizations.get(0));
  }

  @Test
  void followsTheJobUntilCompletedAndPrintsTheReport() {
    gateway.thenPolls(
        job(200, "queued", 0, 0, 0, 0, "[]", null),
        job(200, "running", 400, 0, 0, 300, "[]", null),
        job(200, "running", 900, 100, 0, 800, "[]", null),
        job(200, "completed", 1180, 20, 0, 1000, "[]", null));

    int code = crmImport(csv.toString());

    assertEquals(0, code, err.toString());
    assertEquals(4, gateway.pollCount.get());
    assertEquals("format=generic", gateway.uploads.get(0).query());
    String report = out.toString();
    assertTrue(report.contains("Import " + FakeGateway.JOB_ID + " completed (generic, UTF-8)."), report);
    assertTrue(report.matches("(?s).*rows read\\s+1,200.*"), report);
    assertTrue(report.matches("(?s).*imported\\s+1,180\\s+\\(1,180 orders\\).*"), report);
    assertTrue(report.matches("(?s).*duplicate\\s+20.*"), report);
    assertTrue(report.matches("(?s).*rejected\\s+0.*"), report);
    assertTrue(report.contains("Job: " + gateway.url() + "api/v1/orders/imports/" + FakeGateway.JOB_ID), report);
    // Not on a terminal: each bar leaves just its final line, on stderr.
    assertTrue(err.toString().matches("(?s)Uploading \\[=+\\] 100%.*\\nImporting \\[=+\\] 100%  1,200 rows.*"),
        err.toString());
  }

  @Test
  void rejectedRowsExitOneAndShowTheFirstTwentyByLine() {
    StringBuilder errors = new StringBuilder("[");
    for (int i = 1; i <= 25; i++) {
      errors.append(i > 1 ? "," : "").append("{\"line\":").append(i + 1)
          .append(",\"reason\":\"total_amount is not a number: row").append(i).append("\"}");
    }
    errors.append(']');
    gateway.thenPolls(job(200, "completed", 70, 0, 30, 1000, errors.toString(), null));

    int code = crmImport(csv.toString());

    assertEquals(1, code);
    String report = out.toString();
    assertTrue(report.contains("  line 2: total_amount is not a number: row1\n"), report);
    assertTrue(report.contains("  line 21: total_amount is not a number: row20\n"), report);
    assertFalse(report.contains("row21"), report);
    assertTrue(report.contains("... and 10 more (the job lists the first 25)"), report);
  }

  @Test
  void failedJobExitsOneAndSaysWhy() {
    gateway.thenPolls(job(200, "running", 10, 0, 0, 100, "[]", null),
        job(200, "failed", 10, 0, 0, 100, "[]", "The uploaded file is gone"));

    int code = crmImport(csv.toString());

    assertEquals(1, code);
    assertTrue(out.toString().contains("Import " + FakeGateway.JOB_ID + " FAILED (generic, UTF-8): The uploaded"
        + " file is gone"), out.toString());
  }

  @Test
  void unknownKeyExitsOneWithTheProblemReadably() {
    gateway.answerUploadWith(problem(401, "Unauthorized", "Unknown or revoked API key", null));

    int code = crmImport(csv.toString());

    assertEquals(1, code);
    String message = err.toString();
    assertTrue(message.contains("Upload refused: HTTP 401 Unauthorized"), message);
    assertTrue(message.contains("  Unknown or revoked API key"), message);
    assertTrue(message.contains("not the platform admin key"), message);
    assertFalse(message.contains("{"), "no raw JSON: " + message);
    assertEquals(0, gateway.pollCount.get());
    assertEquals("", out.toString());
  }

  @Test
  void badFileProblemListsEachField() {
    gateway.answerUploadWith(problem(400, "Invalid request", "The CSV header is missing required columns",
        "[{\"field\":\"header\",\"message\":\"missing ordered_at\"},{\"field\":\"header\",\"message\":\"missing total_amount\"}]"));

    int code = crmImport(csv.toString());

    assertEquals(1, code);
    assertTrue(err.toString().contains("HTTP 400 Invalid request"), err.toString());
    assertTrue(err.toString().contains("  - header: missing ordered_at"), err.toString());
    assertTrue(err.toString().contains("  - header: missing total_amount"), err.toString());
  }

  @Test
  void missingKeyIsAUsageErrorThatSaysHowToMakeOne() {
    int code = crm(Map.of(), "--url", gateway.url().toString(), csv.toString());

    assertEquals(2, code);
    assertTrue(err.toString().contains("no API key: pass --key KEY or set CRM_API_KEY"), err.toString());
    assertTrue(err.toString().contains("/api/v1/admin/api-keys"), err.toString());
    assertTrue(gateway.uploads.isEmpty());
  }

  @Test
  void keyComesFromTheEnvironmentWithoutKeyOption() {
    gateway.thenPolls(job(200, "completed", 1, 0, 0, 1000, "[]", null));

    int code = crm(Map.of("CRM_API_KEY", "from-env"), "--url", gateway.url().toString(), "--poll-interval", "20",
        csv.toString());

    assertEquals(0, code, err.toString());
    assertEquals("Bearer from-env", gateway.uploads.get(0).authorization());
  }

  @Test
  void unreadableFileAndUnknownFormatAreUsageErrors() {
    assertEquals(2, crmImport(dir.resolve("missing.csv").toString()));
    assertTrue(err.toString().contains("cannot read"), err.toString());
    assertEquals(2, crmImport("--format", "jd", csv.toString()));
    assertTrue(gateway.uploads.isEmpty());
  }

  @Test
  void unreachableGatewayExitsOne() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    int code = crm(Map.of(), "--port-base", String.valueOf(closedPort), "--key", "k", csv.toString());

    assertEquals(1, code);
    assertTrue(err.toString().contains("cannot reach the gateway at http://127.0.0.1:" + closedPort + "/"),
        err.toString());
  }

  @Test
  void helpDocumentsTheExitCodes() {
    CommandLine cli = CrmCommand.commandLine();
    StringWriter help = new StringWriter();
    cli.setOut(new PrintWriter(help, true));

    assertEquals(0, cli.execute("import", "--help"));
    String text = help.toString();
    assertTrue(text.contains("Exit codes:"), text);
    assertTrue(text.matches("(?s).*\\s0\\s+the import completed.*"), text);
    assertTrue(text.matches("(?s).*\\s1\\s+the import failed or rejected rows.*"), text);
    assertTrue(text.matches("(?s).*\\s2\\s+usage error.*"), text);
    assertTrue(text.contains("generic") && text.contains("taobao"), text);
  }
}
