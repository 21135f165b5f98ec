package com.shopcrm.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a service under test at a real PostgreSQL database of its own (created if missing):
 * {@code @QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name =
 * "database", value = "crm_customer_test"))}. The service's Flyway migrations run at start.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

  private String database = "crm_test";

  @Override
  public void init(Map<String, String> initArgs) {
    database = initArgs.getOrDefault("database", database);
  }

  @Override
  public Map<String, String> start() {
    TestDatabase db = TestDatabase.get();
    db.ensureDatabase(database);
    return Map.of(
        "quarkus.datasource.username", db.user(),
        "quarkus.datasource.password", db.password(),
        "quarkus.datasource.jdbc.url", db.jdbcUrl(database),
        "quarkus.datasource.reactive.url",
        "postgresql://" + db.host() + ":" + db.port() + "/" + TestDatabase.physicalName(database));
  }

  @Override
  public void stop() {
    // the database lives until the JVM ends: other test classes of this run reuse it
  }
}
