package com.shopcrm.campaign.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.campaign.model.TriggerInput;
import com.shopcrm.campaign.model.TriggerResults.Firing;
import com.shopcrm.campaign.model.TriggerView;
import com.shopcrm.common.page.PageRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Trigger definitions ({@code campaign_trigger}, the definition kept whole as JSON in
 * {@code settings}) and what they fired ({@code trigger_firing}); every query names the tenant.
 */
@ApplicationScoped
public class TriggerRepository {

  private static final String COLUMNS =
      "id, settings::text AS settings, enabled, active_since, created_at, updated_at";

  private final ObjectMapper mapper;

  TriggerRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public Uni<TriggerView> insert(SqlClient tx, String tenantId, TriggerInput in, OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO campaign_trigger (tenant_id, name, kind, enabled, settings, active_since, created_at,
                                          updated_at)
            VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $6, $6)
            RETURNING \s""" + COLUMNS)
        .execute(Tuple.from(new Object[] {tenantId, in.name(), in.kind(), in.enabledOrDefault(), json(in), now}))
        .map(rows -> row(rows.iterator().next()));
  }

  /** Saves the new definition; {@code active_since} moves to now when it goes from disabled to enabled. */
  public Uni<TriggerView> update(SqlClient tx, String tenantId, long id, TriggerInput in, OffsetDateTime now) {
    return tx.preparedQuery("""
            UPDATE campaign_trigger SET name = $3, enabled = $4, settings = $5::text::jsonb, updated_at = $6,
                   active_since = CASE WHEN $4 AND NOT enabled THEN $6 ELSE active_since END
             WHERE tenant_id = $1 AND id = $2
            RETURNING \s""" + COLUMNS)
        .execute(Tuple.from(new Object[] {tenantId, id, in.name(), in.enabledOrDefault(), json(in), now}))
        .map(rows -> row(rows.iterator().next()));
  }

  /** The trigger, row-locked for the rest of the transaction when {@code lock}. */
  public Uni<Optional<TriggerView>> find(SqlClient client, String tenantId, long id, boolean lock) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM campaign_trigger WHERE tenant_id = $1 AND id = $2"
            + (lock ? " FOR UPDATE" : ""))
        .execute(Tuple.of(tenantId, id)).map(rows -> list(rows).stream().findFirst());
  }

  public Uni<List<TriggerView>> page(SqlClient client, String tenantId, PageRequest page) {
    return client.preparedQuery("SELECT " + COLUMNS
            + " FROM campaign_trigger WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3")
        .execute(Tuple.of(tenantId, page.after() == null ? 0L : page.after(), page.fetchSize())).map(this::list);
  }

  /** A tenant's enabled triggers ({@code tenantId} null: every tenant's), optionally of some kinds only. */
  public Uni<List<TenantTrigger>> enabled(SqlClient client, String tenantId, List<String> kinds) {
    return client.preparedQuery("SELECT tenant_id, " + COLUMNS + " FROM campaign_trigger WHERE enabled"
            + " AND ($1::text IS NULL OR tenant_id = $1) AND ($2::text[] IS NULL OR kind = ANY($2))"
            + " ORDER BY tenant_id, id")
        .execute(Tuple.of(tenantId, kinds == null ? null : kinds.toArray(String[]::new)))
        .map(rows -> {
          List<TenantTrigger> list = new ArrayList<>();
          rows.forEach(r -> list.add(new TenantTrigger(r.getString("tenant_id"), row(r))));
          return list;
        });
  }

  /** An enabled trigger with its tenant (the evaluator works across tenants). */
  public record TenantTrigger(String tenantId, TriggerView trigger) {
  }

  /**
   * A keyset page of the trigger's firings by firing id, optionally of one customer, each with the
   * number of messages it queued and its coupon.
   */
  public Uni<List<Firing>> firings(SqlClient client, String tenantId, long triggerId, Long customerId,
      PageRequest page) {
    return client.preparedQuery("""
            SELECT f.id, f.customer_id, f.occasion, f.fired_at, f.suppressed_reason, f.send_at, f.quiet_delayed,
                   (SELECT count(*) FROM campaign_message m
                     WHERE m.tenant_id = f.tenant_id AND m.trigger_id = f.trigger_id AND m.customer_id = f.customer_id
                       AND m.occasion = f.occasion) AS messages,
                   (SELECT c.code FROM campaign_coupon c
                     WHERE c.tenant_id = f.tenant_id AND c.trigger_id = f.trigger_id AND c.customer_id = f.customer_id
                       AND c.occasion = f.occasion) AS coupon_code
              FROM trigger_firing f
             WHERE f.tenant_id = $1 AND f.trigger_id = $2 AND f.id > $3 AND ($4::bigint IS NULL OR f.customer_id = $4)
             ORDER BY f.id LIMIT $5""")
        .execute(Tuple.from(new Object[] {tenantId, triggerId, page.after() == null ? 0L : page.after(), customerId,
            page.fetchSize()}))
        .map(rows -> {
          List<Firing> list = new ArrayList<>();
          rows.forEach(r -> list.add(new Firing(r.getLong("id"), r.getLong("customer_id"), r.getString("occasion"),
              r.getOffsetDateTime("fired_at"), r.getString("suppressed_reason") == null ? "messaged" : "suppressed",
              r.getString("suppressed_reason"), r.getOffsetDateTime("send_at"), r.getBoolean("quiet_delayed"),
              r.getLong("messages"), r.getString("coupon_code"))));
          return list;
        });
  }

  private List<TriggerView> list(RowSet<Row> rows) {
    List<TriggerView> list = new ArrayList<>();
    rows.forEach(row -> list.add(row(row)));
    return list;
  }

  private TriggerView row(Row row) {
    try {
      TriggerInput in = mapper.readValue(row.getString("settings"), TriggerInput.class);
      TriggerInput current = new TriggerInput(in.name(), in.kind(), row.getBoolean("enabled"), in.daysBefore(),
          in.waitHours(), in.waitDays(), in.lifecycleStage(), in.pAliveBelow(), in.segmentId(), in.channels(),
          in.message(), in.offer());
      return TriggerView.of(row.getLong("id"), current, row.getOffsetDateTime("active_since"),
          row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored trigger is not readable", e);
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
