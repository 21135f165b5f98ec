package com.shopcrm.launcher.cli;

import static com.shopcrm.launcher.cli.FakeGateway.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.launcher.importer.ImportClient;
import com.shopcrm.launcher.importer.OrderImport;
import com.shopcrm.launcher.importer.ProgressBar;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Ctrl-C prints: the shutdown hook asks the import for its notice while it follows the job. */
class InterruptedImportTest {

  @TempDir
  Path dir;

  @Test
  void stoppingWhileFollowingSaysTheJobRunsOnAndHowToCheckIt() throws Exception {
    Path csv = Files.writeString(dir.resolve("orders.csv"), "order_no,customer_external_id,ordered_at,total_amount\n");
    try (FakeGateway gateway = new FakeGateway()) {
      gateway.thenPolls(job(200, "running", 10, 0, 0, 100, "[]", null));
      OrderImport importer = new OrderImport(new ImportClient(gateway.url(), "k"), new PrintWriter(new StringWriter()),
          new PrintWriter(new StringWriter()), ProgressBar.Display.NONE, Duration.ofMillis(20), "$CRM_API_KEY");
      assertTrue(importer.interruptedNotice().isEmpty(), "nothing under way yet");

      CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
        try {
          return importer.run(csv, "generic");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return -1;
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (gateway.pollCount.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }

      String notice = importer.interruptedNotice().orElseThrow();
      assertTrue(notice.contains("Import " + FakeGateway.JOB_ID + " keeps running on the server"), notice);
      assertTrue(notice.contains("curl -s " + gateway.url() + "api/v1/orders/imports/" + FakeGateway.JOB_ID
          + " -H \"Authorization: Bearer $CRM_API_KEY\""), notice);

      gateway.thenPolls(job(200, "completed", 10, 0, 0, 1000, "[]", null));
      assertEquals(0, run.get(10, TimeUnit.SECONDS));
      assertTrue(importer.interruptedNotice().isEmpty(), "nothing to say once the job finished");
    }
  }
}
