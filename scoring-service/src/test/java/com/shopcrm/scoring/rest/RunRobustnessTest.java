package com.shopcrm.scoring.rest;

import static com.shopcrm.scoring.rest.Api.RUNS;
import static com.shopcrm.scoring.rest.Api.as;
import static com.shopcrm.scoring.rest.Api.count;
import static com.shopcrm.scoring.rest.Api.text;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.scoring.service.StaleJobRecovery;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Runs and resyncs left behind by a restart end as failed; one active run per tenant. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_scoring_test"))
class RunRobustnessTest {

  @Inject
  StaleJobRecovery recovery;

  /** A run row as a process that died mid-run leaves it. */
  static long orphanRun(String tenant, String status) {
    return count("""
        INSERT INTO scoring_run (tenant_id, status, as_of, time_unit, clv_horizon_days, annual_discount_rate,
            created_at, started_at)
        VALUES (?, ?, current_date, 'days', 365, 0.1, now(), now()) RETURNING id""", tenant, status);
  }

  @Test
  void secondRunWhileOneIsRunningIsConflictNamingIt() {
    String shop = InternalTokens.newTenant("busy");
    long running = orphanRun(shop, "running");
    as(shop, "admin").body("{}").post(RUNS).then().statusCode(409)
        .contentType("application/problem+json")
        .body("status", equalTo(409))
        .body("detail", containsString("scoring run " + running + " "));
    assertEquals(1, count("SELECT count(*) FROM scoring_run WHERE tenant_id = ?", shop));
    // another tenant is not blocked
    String other = InternalTokens.newTenant("free");
    long id = Api.startRun(other, "{}");
    assertEquals("completed", Api.awaitRun(other, id).getString("status"));
  }

  @Test
  void queuedRunAlsoBlocksASecondOne() {
    String shop = InternalTokens.newTenant("queued");
    long queued = orphanRun(shop, "queued");
    as(shop, "marketer").body("{\"time_unit\": \"weeks\"}").post(RUNS).then().statusCode(409)
        .body("detail", containsString(String.valueOf(queued)));
  }

  @Test
  void restartMarksInterruptedRunsAndResyncsFailedWithReasonAndFreesTheTenant() {
    String shop = InternalTokens.newTenant("restart");
    long running = orphanRun(shop, "running");
    long resync = count("""
        INSERT INTO resync_job (tenant_id, status, after_seq, created_at) VALUES (?, 'running', 0, now())
        RETURNING id""", shop);

    StaleJobRecovery.Recovered recovered = recovery.recover(); // what the startup observer calls
    assertTrue(recovered.runs() >= 1 && recovered.resyncs() >= 1, recovered.toString());

    as(shop, "analyst").get(RUNS + "/" + running).then().statusCode(200)
        .body("status", equalTo("failed"))
        .body("error", containsString("interrupted: scoring-service restarted"))
        .body("error", containsString("while the job was running"))
        .body("finished_at", org.hamcrest.Matchers.notNullValue());
    as(shop, "analyst").get("/api/v1/scoring/resync/" + resync).then().statusCode(200)
        .body("status", equalTo("failed"))
        .body("error", containsString("interrupted"));
    assertEquals("failed", text("SELECT status FROM scoring_run WHERE tenant_id = ? AND id = ?", shop, running));

    long next = Api.startRun(shop, "{}");
    assertEquals("completed", Api.awaitRun(shop, next).getString("status"));
    // a finished run does not block the next one
    long third = Api.startRun(shop, "{}");
    assertEquals("completed", Api.awaitRun(shop, third).getString("status"));
  }
}
