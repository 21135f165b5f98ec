package com.shopcrm.customer.repository;

import com.shopcrm.customer.model.Channel;
import com.shopcrm.customer.model.ConsentState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Current consent per channel and the history of every change. */
@ApplicationScoped
public class ConsentRepository {

  /** The recorded decision of one channel. */
  public record Decision(boolean granted, String source, OffsetDateTime changedAt) {
  }

  public Uni<Void> record(SqlClient client, String tenantId, long customerId, Channel channel, boolean granted,
      String source, OffsetDateTime now) {
    return client.preparedQuery("""
            WITH history AS (
                INSERT INTO consent_history (tenant_id, customer_id, channel, granted, source, recorded_at)
                VALUES ($1, $2, $3, $4, $5, $6)
            )
            INSERT INTO customer_consent (tenant_id, customer_id, channel, granted, source, changed_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (tenant_id, customer_id, channel) DO UPDATE
               SET granted = excluded.granted, source = excluded.source, changed_at = excluded.changed_at""")
        .execute(Tuple.of(tenantId, customerId, channel.wire(), granted, source, now))
        .replaceWithVoid();
  }

  public Uni<Map<Channel, Decision>> current(SqlClient client, String tenantId, long customerId) {
    return client.preparedQuery("""
            SELECT channel, granted, source, changed_at FROM customer_consent WHERE tenant_id = $1 AND customer_id = $2""")
        .execute(Tuple.of(tenantId, customerId))
        .map(rows -> {
          Map<Channel, Decision> decisions = new EnumMap<>(Channel.class);
          rows.forEach(row -> decisions.put(Channel.fromWire(row.getString("channel")),
              new Decision(row.getBoolean("granted"), row.getString("source"), row.getOffsetDateTime("changed_at"))));
          return decisions;
        });
  }

  /** The latest changes, newest first. */
  public Uni<List<ConsentState.Change>> history(SqlClient client, String tenantId, long customerId, int limit) {
    return client.preparedQuery("""
            SELECT channel, granted, source, recorded_at FROM consent_history
             WHERE tenant_id = $1 AND customer_id = $2 ORDER BY id DESC LIMIT $3""")
        .execute(Tuple.of(tenantId, customerId, limit))
        .map(rows -> {
          List<ConsentState.Change> changes = new ArrayList<>();
          rows.forEach(row -> changes.add(new ConsentState.Change(Channel.fromWire(row.getString("channel")),
              row.getBoolean("granted"), row.getString("source"), row.getOffsetDateTime("recorded_at"))));
          return changes;
        });
  }
}
