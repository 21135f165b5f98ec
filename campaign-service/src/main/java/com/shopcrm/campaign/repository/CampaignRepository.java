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
      + " status, launched_at, send_at, created_at, updated_at";

  private final ObjectMapper mapper;

  CampaignRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public Uni<CampaignView> insert(SqlClient tx, String tenantId, CampaignInput in, OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO campaign (tenant_id, name, goal, segment_id, channels, variants, control_pct,
                attribution_window_days, offer, cost_per_message, schedule_at, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, $9::text::jsonb, $10::text::jsonb, $11, $12, $12)
            RETURNING \s""" + COLUMNS)
        .execute(Tuple.from(values(tenantId, in, now))).map(rows -> row(rows.iterator().next()));
  }

  public Uni<CampaignView> update(SqlClient tx, String tenantId, long id, CampaignInput in, OffsetDateTime now) {
    List<Object> args = values(tenantId, in, now);
    args.add(id);
    return tx.preparedQuery("""
            UPDATE campaign SET name = $2, goal = $3, segment_id = $4, channels = $5, variants = $6::text::jsonb,
                control_pct = $7, attribution_window_days = $8, offer = $9::text::jsonb,
                cost_per_message = $10::text::jsonb, schedule_at = $11, updated_at = $12
             WHERE tenant_id = $1 AND id = $13 AND status = 'draft'
            RETURNING \s""" + COLUMNS)
        .execute(Tuple.from(args)).map(rows -> row(rows.iterator().next()));
  }

  /** The campaign, row-locked for the rest of the transaction when {@code lock}. */
  public Uni<Optional<CampaignView>> find(SqlClient client, String tenantId, long id, boolean lock) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM campaign WHERE tenant_id = $1 AND id = $2"
            + (lock ? " FOR UPDATE" : ""))
        .execute(Tuple.of(tenantId, id)).map(rows -> list(rows).stream().findFirst());
  }

  public Uni<List<CampaignView>> page(SqlClient client, String tenantId, PageRequest page) {
    return client.preparedQuery("SELECT " + COLUMNS
            + " FROM campaign WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3")
        .execute(Tuple.of(tenantId, page.after() == null ? 0L : page.after(), page.fetchSize())).map(this::list);
  }

  public Uni<Void> markLaunched(SqlClient tx, String tenantId, long id, OffsetDateTime now, OffsetDateTime sendAt) {
    return tx.preparedQuery("UPDATE campaign SET status = 'launched', launched_at = $3, send_at = $4, updated_at = $3"
            + " WHERE tenant_id = $1 AND id = $2")
        .execute(Tuple.of(tenantId, id, now, sendAt)).replaceWithVoid();
  }

  private List<Object> values(String tenantId, CampaignInput in, OffsetDateTime now) {
    boolean at = in.schedule() != null && "at".equals(in.schedule().type());
    return new ArrayList<>(Arrays.asList(tenantId, in.name(), in.goal(), in.segmentId(),
        in.channels().toArray(String[]::new), json(in.variants()), in.controlPct(), in.attributionWindowDays(),
        in.offer() == null ? null : json(in.offer()),
        json(in.costPerMessage() == null ? Map.of() : in.costPerMessage()), at ? in.schedule().at() : null, now));
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
      Map<String, BigDecimal> costs = new LinkedHashMap<>(
          mapper.readValue(row.getString("cost_per_message"), new TypeReference<Map<String, BigDecimal>>() { }));
      return new CampaignView(row.getLong("id"), row.getString("name"), row.getString("goal"),
          row.getLong("segment_id"), Arrays.asList(row.getArrayOfStrings("channels")),
          mapper.readValue(row.getString("variants"), new TypeReference<List<Variant>>() { }),
          row.getInteger("control_pct"), row.getInteger("attribution_window_days"),
          offer == null ? null : mapper.readValue(offer, Offer.class), costs,
          scheduleAt == null ? new Schedule("now", null) : new Schedule("at", scheduleAt),
          row.getString("status"), row.getOffsetDateTime("launched_at"), row.getOffsetDateTime("send_at"),
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
