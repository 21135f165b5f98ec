package com.shopcrm.order.rest;

import static com.shopcrm.order.rest.Api.count;
import static com.shopcrm.order.rest.Imports.await;
import static com.shopcrm.order.rest.Imports.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.shopcrm.order.TestServiceTokens;
import com.shopcrm.order.service.imports.OrderImportService;
import com.shopcrm.testing.InternalTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrderImportResumeTest {

  private static final Path TMALL = Path.of("/work/shared/datasets/tmall_order_report/tmall_order_report.csv");

  @Inject
  OrderImportService imports;

  @Inject
  TestServiceTokens tokens;

  @BeforeEach
  void tokensOn() {
    tokens.enable(true);
  }

  /** A job the service was running when it stopped: 3 rows committed, resume point line 5. */
  private static UUID interruptedJob(String tenant, String spoolPath, long bytes) throws Exception {
    UUID id = UUID.randomUUID();
    OrderImportTest.sql("""
        INSERT INTO order_import (tenant_id, id, format, status, charset, rows_total, rows_imported, orders_imported,
            bytes_total, spool_path, committed_line, chunks_committed, created_by, created_at, started_at, updated_at)
        VALUES (?, ?, 'generic', 'running', 'UTF-8', 3, 3, 3, ?, ?, 5, 1, 'test', now(), now(), now())""",
        tenant, id, bytes, spoolPath);
    return id;
  }

  @Test
  void aJobLeftRunningResumesAfterItsLastCommittedChunk() throws Exception {
    String tenant = InternalTokens.newTenant("resume");
    StringBuilder csv = new StringBuilder("order_no,customer_external_id,ordered_at,total_amount\n");
    for (int i = 1; i <= 6; i++) {
      csv.append("R-").append(i).append(',').append(tenant).append("-r,2024-05-0").append(i).append(",").append(i)
          .append('\n');
    }
    Path spool = Files.createTempFile("resume", ".csv");
    Files.writeString(spool, csv, StandardCharsets.UTF_8);
    UUID id = interruptedJob(tenant, spool.toString(), Files.size(spool));

    assertTrue(imports.resumeUnfinished() >= 1);
    JsonPath job = await(tenant, id.toString());
    assertEquals("completed", job.getString("status"), job.prettify());
    assertEquals(6, job.getLong("rows_total"));
    assertEquals(6, job.getLong("rows_imported"));
    // rows before the resume point (lines 2-4) were committed before the "restart": not read again
    assertEquals(0, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no IN ('R-1','R-2','R-3')",
        tenant));
    assertEquals(3, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND order_no IN ('R-4','R-5','R-6')",
        tenant));
    assertFalse(Files.exists(spool), "the spool file is removed once the job is done");
  }

  @Test
  void aJobWhoseSpoolFileIsGoneFailsSayingSo() throws Exception {
    String tenant = InternalTokens.newTenant("resume");
    UUID id = interruptedJob(tenant, "/nonexistent/crm-order-imports/" + UUID.randomUUID() + ".csv", 100);
    imports.resumeUnfinished();
    JsonPath job = await(tenant, id.toString());
    assertEquals("failed", job.getString("status"));
    assertTrue(job.getString("failure").contains("is gone"), job.getString("failure"));
    assertTrue(job.getString("failure").contains("line 5"), job.getString("failure"));
    assertEquals(3, job.getLong("rows_imported"), "what was committed stays reported");
  }

  @Test
  void importsTheRealTmallReport() throws Exception {
    assumeTrue(Files.isReadable(TMALL), "dataset absent: " + TMALL);
    String tenant = InternalTokens.newTenant("tmall");
    JsonPath job = await(tenant, upload(tenant, "taobao", Files.readAllBytes(TMALL), "text/csv"));
    assertEquals("completed", job.getString("status"), job.prettify());
    assertEquals(28010, job.getLong("rows_total"));
    assertEquals(28010, job.getLong("rows_imported"));
    assertEquals(0, job.getLong("rows_rejected"));
    assertEquals(28010, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND anonymous", tenant));
    assertEquals(3923, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND status = 'created'", tenant));
    assertEquals(5132, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND status = 'refunded'", tenant));
    assertEquals(514, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND status = 'partially_refunded'",
        tenant));
    assertEquals(3353, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND province = '上海市'", tenant));
    assertEquals(28010, count("SELECT count(*) FROM order_event WHERE tenant_id = ?", tenant));
  }
}
