package com.shopcrm.scoring.service;

import com.shopcrm.common.idempotency.IdempotentResult;
import com.shopcrm.common.idempotency.IdempotentWrites;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.scoring.config.ScoringConfig;
import com.shopcrm.scoring.model.ModelTimeUnit;
import com.shopcrm.scoring.repository.RunRepository;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starting scoring runs (202 + job) and reading them. The work itself is {@link ScoringRunner}'s. */
@ApplicationScoped
public class ScoringRunService {

  /** {@code POST /api/v1/scoring/runs} body; every field optional. */
  public record RunRequest(LocalDate asOf, LocalDate calibrationEnd, String timeUnit, Double clvHorizonDays,
      Double annualDiscountRate) {
  }

  private final Pool pool;
  private final RunRepository runs;
  private final ScoringRunner runner;
  private final IdempotentWrites idempotent;
  private final Clock clock;
  private final ScoringConfig config;

  ScoringRunService(Pool pool, RunRepository runs, ScoringRunner runner, IdempotentWrites idempotent, Clock clock,
      ScoringConfig config) {
    this.pool = pool;
    this.runs = runs;
    this.runner = runner;
    this.idempotent = idempotent;
    this.clock = clock;
    this.config = config;
  }

  /**
   * Validates, stores the run as queued and starts it on a worker thread; answers 202 {id, status}.
   * A retry with the same Idempotency-Key answers the first run and starts nothing.
   */
  public Uni<Response> start(TenantContext tenant, RunRequest request, String idempotencyKey, String path) {
    RunRequest body = request == null ? new RunRequest(null, null, null, null, null) : request;
    RunRepository.Params params = validate(body);
    long[] created = {-1}; // set only when this call inserted the run (not on an idempotent replay)
    String tenantId = tenant.tenantId();
    return idempotent.run(tenantId, idempotencyKey, "POST " + path, body,
            tx -> runs.active(tx, tenantId).flatMap(active -> {
              if (active != null) {
                throw alreadyActive(active);
              }
              return runs.insert(tx, tenantId, params, OffsetDateTime.now(clock).withOffsetSameInstant(
                  ZoneOffset.UTC)).map(id -> {
                    created[0] = id;
                    return new IdempotentResult(202, Map.of("id", id, "status", "queued"), path + "/" + id);
                  });
            }))
        // two concurrent starts both saw none: the partial unique index let one insert; the other answers 409
        .onFailure(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState()))
        .recoverWithUni(e -> runs.active(pool, tenantId).<Response>map(active -> {
          throw active == null ? ProblemException.conflict("another scoring run of this tenant was just started")
              : alreadyActive(active);
        }))
        .invoke(response -> {
          if (created[0] > 0) { // after the commit: the worker finds the row
            Infrastructure.getDefaultWorkerPool().execute(() -> runner.execute(tenant.tenantId(), created[0]));
          }
        });
  }

  private static ProblemException alreadyActive(long id) {
    return ProblemException.conflict("scoring run " + id + " of this tenant is still queued or running; "
        + "poll GET /api/v1/scoring/runs/" + id + " and start the next one when it has finished");
  }

  public Uni<RunView> get(TenantContext tenant, long id) {
    return runs.find(pool, tenant.tenantId(), id);
  }

  private RunRepository.Params validate(RunRequest r) {
    List<Problem.FieldError> errors = new ArrayList<>();
    LocalDate today = LocalDate.now(clock.withZone(ZoneId.of(config.shopZone())));
    LocalDate asOf = r.asOf() == null ? today : r.asOf();
    ModelTimeUnit unit = ModelTimeUnit.DAYS;
    if (r.timeUnit() != null) {
      try {
        unit = ModelTimeUnit.fromId(r.timeUnit());
      } catch (IllegalArgumentException e) {
        errors.add(new Problem.FieldError("time_unit", "must be days or weeks"));
      }
    }
    if (r.asOf() != null && r.asOf().isAfter(today)) {
      errors.add(new Problem.FieldError("as_of", "must not be after today (" + today + ")"));
    }
    if (r.calibrationEnd() != null && !r.calibrationEnd().isBefore(asOf)) {
      errors.add(new Problem.FieldError("calibration_end", "must be before as_of (" + asOf + ")"));
    }
    double horizon = r.clvHorizonDays() == null ? config.clv().horizonDays() : r.clvHorizonDays();
    if (!(horizon >= 1 && horizon <= 3650)) {
      errors.add(new Problem.FieldError("clv_horizon_days", "must be between 1 and 3650"));
    }
    double discount = r.annualDiscountRate() == null ? config.clv().annualDiscountRate() : r.annualDiscountRate();
    if (!(discount >= 0 && discount <= 1)) {
      errors.add(new Problem.FieldError("annual_discount_rate", "must be between 0 and 1"));
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation("invalid scoring run parameters", errors));
    }
    return new RunRepository.Params(asOf, r.calibrationEnd(), unit, horizon, discount);
  }
}
