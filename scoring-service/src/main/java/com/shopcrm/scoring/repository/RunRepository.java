package com.shopcrm.scoring.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.scoring.model.BgNbdModel;
import com.shopcrm.scoring.model.ClvCalculator;
import com.shopcrm.scoring.model.GammaGammaModel;
import com.shopcrm.scoring.model.ModelTimeUnit;
import com.shopcrm.scoring.service.CurrentModel;
import com.shopcrm.scoring.service.HoldoutReport;
import com.shopcrm.scoring.service.RfmCuts;
import com.shopcrm.scoring.service.RunView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** {@code scoring_run}: run jobs, their parameters and results; the latest completed one is the current model. */
@ApplicationScoped
public class RunRepository {

  /** What a run is asked to do. */
  public record Params(LocalDate asOf, LocalDate calibrationEnd, ModelTimeUnit unit, double clvHorizonDays,
      double annualDiscountRate) {
  }

  /** What a finished run stores. */
  public record Result(int customersScored, int customersFitted, int repeatBuyers, RunView.BgNbdParams bgnbd,
      RunView.GammaGammaParams gammaGamma, RfmCuts rfm, double typicalIntervalDays, HoldoutReport holdout,
      List<String> notes) {
  }

  // the last four: the run's row of score_push_run (ScorePusher), by primary key
  private static final String COLUMNS = """
      scoring_run.id, status, as_of, calibration_end, time_unit, clv_horizon_days, annual_discount_rate,
      customers_scored, customers_fitted, repeat_buyers, bgnbd::text AS bgnbd, gamma_gamma::text AS gamma_gamma,
      rfm::text AS rfm, typical_interval_days, holdout::text AS holdout, notes::text AS notes, error, created_at,
      started_at, scoring_run.finished_at, push.pushed AS push_pushed, push.attempts AS push_attempts,
      push.last_error AS push_error, push.finished_at AS push_finished_at""";
  private static final String FROM = """
       FROM scoring_run
       LEFT JOIN score_push_run push ON push.tenant_id = scoring_run.tenant_id AND push.run_id = scoring_run.id""";

  private final ObjectMapper mapper;

  RunRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public Uni<Long> insert(SqlClient client, String tenantId, Params p, OffsetDateTime now) {
    return client.preparedQuery("""
            INSERT INTO scoring_run (tenant_id, status, as_of, calibration_end, time_unit, clv_horizon_days,
                annual_discount_rate, created_at)
            VALUES ($1, 'queued', $2, $3, $4, $5, $6, $7) RETURNING id""")
        .execute(Tuple.from(Arrays.asList(tenantId, p.asOf(), p.calibrationEnd(), p.unit().id(), p.clvHorizonDays(),
            p.annualDiscountRate(), now)))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  /** The tenant's queued or running run (at most one: a partial unique index), or null. */
  public Uni<Long> active(SqlClient client, String tenantId) {
    return client.preparedQuery("""
            SELECT id FROM scoring_run WHERE tenant_id = $1 AND status IN ('queued', 'running')""")
        .execute(Tuple.of(tenantId))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong("id") : null);
  }

  public Uni<RunView> find(SqlClient client, String tenantId, long id) {
    return client.preparedQuery(
            "SELECT " + COLUMNS + " " + FROM + " WHERE scoring_run.tenant_id = $1 AND scoring_run.id = $2")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> rows.iterator().hasNext() ? view(rows.iterator().next()) : null);
  }

  public Uni<Params> params(SqlClient client, String tenantId, long id) {
    return client.preparedQuery("""
            SELECT as_of, calibration_end, time_unit, clv_horizon_days, annual_discount_rate
              FROM scoring_run WHERE tenant_id = $1 AND id = $2""")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new Params(r.getLocalDate("as_of"), r.getLocalDate("calibration_end"),
              ModelTimeUnit.fromId(r.getString("time_unit")), r.getDouble("clv_horizon_days"),
              r.getDouble("annual_discount_rate"));
        });
  }

  public Uni<Void> markRunning(SqlClient client, String tenantId, long id, OffsetDateTime now) {
    return client.preparedQuery("UPDATE scoring_run SET status = 'running', started_at = $3 WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id, now)).replaceWithVoid();
  }

  public Uni<Void> complete(SqlClient client, String tenantId, long id, Result r, OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE scoring_run SET status = 'completed', customers_scored = $3, customers_fitted = $4,
                   repeat_buyers = $5, bgnbd = $6::text::jsonb, gamma_gamma = $7::text::jsonb, rfm = $8::text::jsonb,
                   typical_interval_days = $9, holdout = $10::text::jsonb, notes = $11::text::jsonb, finished_at = $12
             WHERE tenant_id = $1 AND id = $2""")
        .execute(Tuple.from(Arrays.asList(tenantId, id, r.customersScored(), r.customersFitted(), r.repeatBuyers(),
            json(r.bgnbd()), json(r.gammaGamma()), json(r.rfm()),
            Double.isNaN(r.typicalIntervalDays()) ? null : r.typicalIntervalDays(), json(r.holdout()),
            json(r.notes()), now)))
        .replaceWithVoid();
  }

  public Uni<Void> fail(SqlClient client, String tenantId, long id, String error, OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE scoring_run SET status = 'failed', error = $3, finished_at = $4 WHERE tenant_id = $1 AND id = $2""")
        .execute(Tuple.of(tenantId, id, error, now)).replaceWithVoid();
  }

  /** The tenant's current model: the latest completed run's, or {@link CurrentModel#none} before any. */
  public Uni<CurrentModel> current(SqlClient client, String tenantId, int clvSteps, ClvCalculator.Settings fallback) {
    return client.preparedQuery("""
            SELECT id, time_unit, clv_horizon_days, annual_discount_rate, bgnbd::text AS bgnbd,
                   gamma_gamma::text AS gamma_gamma, rfm::text AS rfm, typical_interval_days
              FROM scoring_run WHERE tenant_id = $1 AND status = 'completed'
             ORDER BY finished_at DESC, id DESC LIMIT 1""")
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          if (!rows.iterator().hasNext()) {
            return CurrentModel.none(fallback);
          }
          Row r = rows.iterator().next();
          RunView.BgNbdParams bg = read(r.getString("bgnbd"), RunView.BgNbdParams.class);
          RunView.GammaGammaParams gg = read(r.getString("gamma_gamma"), RunView.GammaGammaParams.class);
          Double interval = r.getDouble("typical_interval_days");
          return new CurrentModel(r.getLong("id"), ModelTimeUnit.fromId(r.getString("time_unit")),
              bg == null ? null : new BgNbdModel(bg.r(), bg.alpha(), bg.a(), bg.b()),
              gg == null ? null : new GammaGammaModel(gg.p(), gg.q(), gg.gamma()),
              new ClvCalculator.Settings(r.getDouble("clv_horizon_days"), r.getDouble("annual_discount_rate"), clvSteps),
              read(r.getString("rfm"), RfmCuts.class), interval == null ? Double.NaN : interval);
        });
  }

  private RunView view(Row r) {
    List<String> notes = read(r.getString("notes"), List.class);
    return new RunView(r.getLong("id"), r.getString("status"), r.getLocalDate("as_of"),
        r.getLocalDate("calibration_end"), r.getString("time_unit"), r.getDouble("clv_horizon_days"),
        r.getDouble("annual_discount_rate"), r.getInteger("customers_scored"), r.getInteger("customers_fitted"),
        r.getInteger("repeat_buyers"),
        new RunView.Models(read(r.getString("bgnbd"), RunView.BgNbdParams.class),
            read(r.getString("gamma_gamma"), RunView.GammaGammaParams.class)),
        read(r.getString("holdout"), HoldoutReport.class), notes == null ? List.of() : notes, r.getString("error"),
        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("started_at"), r.getOffsetDateTime("finished_at"),
        push(r));
  }

  /** The run's push to campaign-service, from its score_push_run row (null: none). */
  private static RunView.CampaignPush push(Row r) {
    Integer pushed = r.getInteger("push_pushed");
    if (pushed == null) {
      return null;
    }
    int attempts = r.getInteger("push_attempts");
    OffsetDateTime finished = r.getOffsetDateTime("push_finished_at");
    String status = finished != null ? "done" : !"completed".equals(r.getString("status")) ? "pending"
        : attempts > 0 ? "retrying" : "pushing";
    return new RunView.CampaignPush(status, pushed, attempts, r.getString("push_error"), finished);
  }

  private String json(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write run JSON", e);
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T read(String json, Class<T> type) {
    if (json == null) {
      return null;
    }
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable run JSON", e);
    }
  }
}
