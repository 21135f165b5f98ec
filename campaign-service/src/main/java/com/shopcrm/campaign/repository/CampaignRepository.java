package com.shopcrm.campaign.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.campaign.model.CampaignInput;
import com.shopcrm.campaign.model.CampaignInput.Offer;
import com.shopcrm.campaign.model.CampaignInput.Schedule;
import com.shopcrm.campaign.model.CampaignInput.Variant;
import com.shopcrm.campaign.model.CampaignView;
import com.shopcrm.common.page.PageRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Campaign definitions ({@code campaign}); every query names the tenant. */
@ApplicationScoped
public class CampaignRepository {

  private static final String COLUMNS = "id, name, goal, segment_id, channels, variants::text AS variants, control_pct,"
      + " attribution_window_days, offer::text AS offer, cost_per_message::text AS cost_per_message, schedule_at,"
      + " recurrence::text AS recurrence, budget, committed_cost, status, launched_at, send_at, next_run_at, runs,"
      + " ended_reason, parent_id, run_no, created_at, updated_at";

  /** How a recurring schedule is stored ({@code campaign.recurrence}). */
  record Recurrence(String every, OffsetDateTime until, Integer maxRuns, Boolean newMembersOnly) {
  }

  private final ObjectMapper mapper;

  CampaignRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public Uni<CampaignView> insert(SqlClient tx, String tenantId, CampaignInput in, OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO campaign (tenant_id, name, goal, segment_id, channels, variants, control_pct,
                attribution_window_days, offer, cost_per_message, schedule_at, created_at, updated_at,
                recurrence, budget)
            VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, $9::text::jsonb, $10::text::jsonb, $11, $12, $12,
                $13::text::jsonb, $14)
            RETURNING \s""" + COLUMNS)
        .execute(Tuple.from(values(tenantId, in, now))).map(rows -> row(rows.iterator().next()));
  }

  public Uni<CampaignView> update(SqlClient tx, String tenantId, long id, CampaignInput in, OffsetDateTime now) {
    List<Object> args = values(tenantId, in, now);
    args.add(id);
    return tx.preparedQuery("""
            UPDATE campaign SET name = $2, goal = $3, segment_id = $4, channels = $5, variants = $6::text::jsonb,
                control_pct = $7, attribution_window_days = $8, offer = $9::text::jsonb,
                cost_per_message = $10::text::jsonb, schedule_at = $11, updated_at = $12,
                recurrence = $13::text::jsonb, budget = $14
             WHERE tenant_id = $1 AND id = $15 AND status = 'draft'
            RETURNING \s""" + COLUMNS)
        .execute(Tuple.from(args)).map(rows -> row(rows.iterator().next()));
  }

  /** The campaign, row-locked for the rest of the transaction when {@code lock}. */
  public Uni<Optional<CampaignView>> find(SqlClient client, String tenantId, long id, boolean lock) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM campaign WHERE tenant_id = $1 AND id = $2"
            + (lock ? " FOR UPDATE" : ""))
        .execute(Tuple.of(tenantId, id)).map(rows -> list(rows).stream().findFirst());
  }

  /** The shop's campaigns, without the runs of recurring ones (see {@link #runs}). */
  public Uni<List<CampaignView>> page(SqlClient client, String tenantId, PageRequest page) {
    return client.preparedQuery("SELECT " + COLUMNS
            + " FROM campaign WHERE tenant_id = $1 AND parent_id IS NULL AND id > $2 ORDER BY id LIMIT $3")
        .execute(Tuple.of(tenantId, page.after() == null ? 0L : page.after(), page.fetchSize())).map(this::list);
  }

  /** The runs of a recurring campaign, oldest first. */
  public Uni<List<CampaignView>> runs(SqlClient client, String tenantId, long parentId, PageRequest page) {
    return client.preparedQuery("SELECT " + COLUMNS
            + " FROM campaign WHERE tenant_id = $1 AND parent_id = $2 AND id > $3 ORDER BY id LIMIT $4")
        .execute(Tuple.of(tenantId, parentId, page.after() == null ? 0L : page.after(), page.fetchSize()))
        .map(this::list);
  }

  /** The ids of a recurring campaign's runs. */
  public Uni<List<Long>> runIds(SqlClient client, String tenantId, long parentId) {
    return client.preparedQuery("SELECT id FROM campaign WHERE tenant_id = $1 AND parent_id = $2 ORDER BY id")
        .execute(Tuple.of(tenantId, parentId)).map(rows -> {
          List<Long> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getLong("id")));
          return ids;
        });
  }

  /** The worst-case spend the runs of a recurring campaign reserved. */
  public Uni<BigDecimal> committedByRuns(SqlClient client, String tenantId, long parentId) {
    return client.preparedQuery("SELECT coalesce(sum(committed_cost), 0) AS spent FROM campaign"
            + " WHERE tenant_id = $1 AND parent_id = $2")
        .execute(Tuple.of(tenantId, parentId)).map(rows -> rows.iterator().next().getBigDecimal("spent"));
  }

  public Uni<Void> markLaunched(SqlClient tx, String tenantId, long id, OffsetDateTime now, OffsetDateTime sendAt,
      BigDecimal committed) {
    return tx.preparedQuery("UPDATE campaign SET status = 'launched', launched_at = $3, send_at = $4, updated_at = $3,"
            + " committed_cost = $5 WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id, now, sendAt, committed)).replaceWithVoid();
  }

  /** draft → scheduled: a recurring campaign, its first run at {@code firstRun}. */
  public Uni<Void> markScheduled(SqlClient tx, String tenantId, long id, OffsetDateTime now, OffsetDateTime firstRun) {
    return tx.preparedQuery("UPDATE campaign SET status = 'scheduled', launched_at = $3, next_run_at = $4,"
            + " updated_at = $3 WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id, now, firstRun)).replaceWithVoid();
  }

  /** Recurring campaigns of every shop whose next run is due: (tenant, id), oldest first. */
  public Uni<List<Object[]>> due(SqlClient client, OffsetDateTime now, int limit) {
    return client.preparedQuery("SELECT tenant_id, id FROM campaign WHERE status = 'scheduled' AND next_run_at <= $1"
            + " ORDER BY next_run_at LIMIT $2")
        .execute(Tuple.of(now, limit)).map(rows -> {
          List<Object[]> list = new ArrayList<>();
          rows.forEach(r -> list.add(new Object[] {r.getString("tenant_id"), r.getLong("id")}));
          return list;
        });
  }

  /** The recurring campaign, locked, when it is still due and no other worker holds it. */
  public Uni<Optional<CampaignView>> lockDue(SqlClient tx, String tenantId, long id, OffsetDateTime now) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM campaign WHERE tenant_id = $1 AND id = $2"
            + " AND status = 'scheduled' AND next_run_at <= $3 FOR UPDATE SKIP LOCKED")
        .execute(Tuple.of(tenantId, id, now)).map(rows -> list(rows).stream().findFirst());
  }

  /**
   * Run {@code runNo} of a recurring campaign: a copy of its definition, {@code launching} (the
   * launch machinery freezes it), sent at once; its budget is the parent's (checked at its launch).
   */
  public Uni<Long> insertRun(SqlClient tx, String tenantId, long parentId, int runNo, OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO campaign (tenant_id, name, goal, segment_id, channels, variants, control_pct,
                attribution_window_days, offer, cost_per_message, status, created_at, updated_at, parent_id, run_no)
            SELECT tenant_id, left(name, 190) || ' #' || $3::int::text, goal, segment_id, channels, variants,
                   control_pct, attribution_window_days, offer, cost_per_message, 'launching', $4, $4, id, $3::int
              FROM campaign WHERE tenant_id = $1 AND id = $2
            RETURNING id""")
        .execute(Tuple.of(tenantId, parentId, runNo, now)).map(rows -> rows.iterator().next().getLong("id"));
  }

  /** After a run started (or not): the run count, the next run, or the end with its reason. */
  public Uni<Void> advance(SqlClient tx, String tenantId, long id, int runs, OffsetDateTime nextRunAt,
      String endedReason, OffsetDateTime now) {
    return tx.preparedQuery("""
            UPDATE campaign SET runs = $3, next_run_at = $4, ended_reason = $5, updated_at = $6,
                   status = CASE WHEN $5::text IS NULL THEN status ELSE 'completed' END
             WHERE tenant_id = $1 AND id = $2""")
        .execute(Tuple.from(Arrays.asList(tenantId, id, runs, nextRunAt, endedReason, now))).replaceWithVoid();
  }

  /** scheduled → stopped; false when it was not scheduled. */
  public Uni<Boolean> stop(SqlClient tx, String tenantId, long id, OffsetDateTime now) {
    return tx.preparedQuery("UPDATE campaign SET status = 'stopped', next_run_at = NULL, ended_reason = 'stopped',"
            + " updated_at = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'scheduled'")
        .execute(Tuple.of(tenantId, id, now)).map(rows -> rows.rowCount() == 1);
  }

  private List<Object> values(String tenantId, CampaignInput in, OffsetDateTime now) {
    Schedule schedule = in.schedule();
    boolean at = schedule != null && !"now".equals(schedule.type());
    boolean recurring = schedule != null && schedule.recurring();
    return new ArrayList<>(Arrays.asList(tenantId, in.name(), in.goal(), in.segmentId(),
        in.channels().toArray(String[]::new), json(in.variants()), in.controlPct(), in.attributionWindowDays(),
        in.offer() == null ? null : json(in.offer()),
        json(in.costPerMessage() == null ? Map.of() : in.costPerMessage()), at ? schedule.at() : null, now,
        recurring ? json(new Recurrence(schedule.every(), schedule.until(), schedule.maxRuns(),
            schedule.newMembersOnly())) : null,
        in.budget()));
  }

  private List<CampaignView> list(RowSet<Row> rows) {
    List<CampaignView> list = new ArrayList<>();
    rows.forEach(row -> list.add(row(row)));
    return list;
  }

  private CampaignView row(Row row) {
    try {
      String offer = row.getString("offer");
      OffsetDateTime scheduleAt = row.getOffsetDateTime("schedule_at");
      String recurrence = row.getString("recurrence");
      Schedule schedule;
      if (recurrence != null) {
        Recurrence r = mapper.readValue(recurrence, Recurrence.class);
        schedule = new Schedule("recurring", scheduleAt, r.every(), r.until(), r.maxRuns(), r.newMembersOnly());
      } else {
        schedule = scheduleAt == null ? Schedule.now() : Schedule.at(scheduleAt);
      }
      Map<String, BigDecimal> costs = new LinkedHashMap<>(
          mapper.readValue(row.getString("cost_per_message"), new TypeReference<Map<String, BigDecimal>>() { }));
      return new CampaignView(row.getLong("id"), row.getString("name"), row.getString("goal"),
          row.getLong("segment_id"), Arrays.asList(row.getArrayOfStrings("channels")),
          mapper.readValue(row.getString("variants"), new TypeReference<List<Variant>>() { }),
          row.getInteger("control_pct"), row.getInteger("attribution_window_days"),
          offer == null ? null : mapper.readValue(offer, Offer.class), costs,
          schedule, row.getBigDecimal("budget"), row.getBigDecimal("committed_cost"), row.getString("status"),
          row.getOffsetDateTime("launched_at"), row.getOffsetDateTime("send_at"), row.getOffsetDateTime("next_run_at"),
          row.getInteger("runs"), row.getString("ended_reason"), row.getLong("parent_id"), row.getInteger("run_no"),
          row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored campaign is not readable", e);
    }
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
