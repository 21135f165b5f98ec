package com.shopcrm.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.testing.TestDatabase;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The claim docs/SCALING.md rests on: every table is keyed by {@code tenant_id} first, so each one can
 * be distributed by tenant (Citus) and every per-shop query and index lookup stays on one shard.
 * Every service's Flyway scripts, as they are in the checkout, are migrated into a scratch database
 * of the tests' PostgreSQL; then every table must have a {@code tenant_id} column and every primary
 * key, unique constraint and index must lead with it. The exceptions are listed here, each with its
 * reason; anything else fails with the offending table and index names.
 */
class TenantLeadingKeysTest {

  /** Tables without a tenant: platform-wide reference data, kept small and replicated (Citus reference tables). */
  static final Map<String, String> TABLE_EXCEPTIONS = Map.of(
      "gateway.tenant", "the tenant registry itself: its key `id` is the tenant id (a reference table)",
      "gateway.api_key", "looked up by key hash on every request before the tenant is known; platform keys have no"
          + " tenant (a reference table, like tenant)",
      "order-service.order_event_subscriber", "the platform's list of event subscribers, one row each, no tenant"
          + " (a reference table)");

  /** Indexes that do not lead with tenant_id on purpose: scans that background workers run across all shops. */
  static final Map<String, String> INDEX_EXCEPTIONS = Map.ofEntries(
      Map.entry("order-service.order_event_cursor_replay_idx", "the dispatcher finds the replays asked for, across"
          + " shops (partial: only cursors with replay_until set)"),
      Map.entry("order-service.order_event_delivery_pending_idx", "the dispatcher takes each subscriber's pending"
          + " deliveries across shops, then per (tenant_id, customer_key) in order"),
      Map.entry("order-service.order_event_seq_idx", "the outbox is read in its global seq order (an identity"
          + " shared by all shops) by the dispatcher and the event replay"),
      Map.entry("order-service.order_event_occurred_brin", "BRIN over the time of writing (a few pages), to find the"
          + " first seq of a replay from an instant; BRIN keeps no per-key order to lead with"),
      Map.entry("order-service.order_import_unfinished_idx", "at start the service resumes the unfinished imports"
          + " of every shop (partial: queued and running only)"),
      Map.entry("customer-service.customer_erasure_step_due_idx", "the erasure relay takes the due steps of every"
          + " shop's pending erasures (a partial index over the few pending rows), like the other relays"),
      Map.entry("scoring-service.score_push_outbox_due_idx", "the score pusher takes the rows that are due, across"
          + " shops"),
      Map.entry("campaign-service.campaign_message_due_idx", "the dispatcher takes due messages per channel across"
          + " shops (partial: queued only)"),
      Map.entry("campaign-service.campaign_trigger_enabled_idx", "the trigger evaluator lists the enabled triggers"
          + " of every shop"),
      Map.entry("campaign-service.audience_profile_tags_idx", "GIN over the tags array; a shop's tag query ANDs it"
          + " with the (tenant_id, customer_id) primary key. A (tenant_id, tags) GIN needs btree_gin, as"
          + " customer-service has: the next campaign migration can make it lead with tenant_id"));

  @Test
  void everyPrimaryKeyAndIndexLeadsWithTenantId() throws SQLException {
    TestDatabase db = TestDatabase.get();
    List<String> offenders = new ArrayList<>();
    Map<String, Integer> tables = new TreeMap<>();
    int indexes = 0;
    TreeSet<String> usedExceptions = new TreeSet<>();
    for (Platform.Service service : Platform.SERVICES) {
      var migrations = service.module().resolve("src/main/resources/db/migration");
      if (!Files.isDirectory(migrations)) {
        continue;
      }
      String database = "crm_keys_" + service.name().replace("-service", "").replace('-', '_') + "_test";
      db.ensureDatabase(database);
      try (Connection c = db.connect(database); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        Flyway.configure().dataSource(db.jdbcUrl(database), db.user(), db.password())
            .locations("filesystem:" + migrations).load().migrate();

        try (ResultSet rs = s.executeQuery("""
            SELECT c.relname,
                   EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                           AND NOT a.attisdropped) AS has_tenant
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'flyway_schema_history'
            ORDER BY 1""")) {
          int count = 0;
          while (rs.next()) {
            count++;
            String name = service.name() + "." + rs.getString(1);
            if (TABLE_EXCEPTIONS.containsKey(name)) {
              usedExceptions.add(name);
            } else if (!rs.getBoolean(2)) {
              offenders.add("table " + name + " has no tenant_id column");
            }
          }
          tables.put(service.name(), count);
        }
        try (ResultSet rs = s.executeQuery("""
            SELECT t.relname AS table_name, i.relname AS index_name, x.indisprimary,
                   (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum = x.indkey[0]) AS first,
                   pg_get_indexdef(x.indexrelid) AS definition
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND t.relname <> 'flyway_schema_history'
            ORDER BY 1, 2""")) {
          while (rs.next()) {
            indexes++;
            String table = service.name() + "." + rs.getString("table_name");
            String index = service.name() + "." + rs.getString("index_name");
            if (TABLE_EXCEPTIONS.containsKey(table) || "tenant_id".equals(rs.getString("first"))) {
              continue;
            }
            if (INDEX_EXCEPTIONS.containsKey(index)) {
              usedExceptions.add(index);
              continue;
            }
            offenders.add((rs.getBoolean("indisprimary") ? "primary key " : "index ") + index + " on " + table
                + " leads with " + (rs.getString("first") == null ? "an expression" : rs.getString("first"))
                + ": " + rs.getString("definition"));
          }
        }
      }
    }
    System.out.printf("Tenant-leading keys: %d tables %s, %d indexes (primary keys included); %d listed exceptions;"
        + " %d offenders%n", tables.values().stream().mapToInt(Integer::intValue).sum(), tables, indexes,
        usedExceptions.size(), offenders.size());
    assertEquals(5, tables.size(), "every service's migrations were found: " + tables.keySet());
    assertTrue(offenders.isEmpty(), "Tables and indexes that do not lead with tenant_id (make them, or list them"
        + " in TenantLeadingKeysTest with the reason):\n" + String.join("\n", offenders));
    TreeSet<String> stale = new TreeSet<>(TABLE_EXCEPTIONS.keySet());
    stale.addAll(INDEX_EXCEPTIONS.keySet());
    stale.removeAll(usedExceptions);
    assertTrue(stale.isEmpty(), "exceptions listed for tables or indexes that no longer exist (or now lead with"
        + " tenant_id): " + stale);
  }
}
