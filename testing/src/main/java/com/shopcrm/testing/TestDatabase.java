package com.shopcrm.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server for tests: the one named by {@code CRM_TEST_DB_HOST}/{@code _PORT}
 * (default 127.0.0.1:5432, user {@code postgres}), or, when none answers, an embedded one started
 * once per JVM.
 *
 * <p>Each test JVM gets databases of its own: a test names a database ({@code crm_order_test}) and
 * works on {@code crm_order_test_p<pid>}, created empty and migrated by the service under test, and
 * dropped when the JVM ends (or by a later run, if this one was killed). So every run starts from
 * the migrations as they are now — a migration edited or added on another branch can never leave a
 * history behind that fails Flyway's validation — and parallel builds never share rows.
 */
public final class TestDatabase {

  private static TestDatabase instance;

  private final String host;
  private final int port;
  private final String user;
  private final String password;

  private TestDatabase(String host, int port, String user, String password) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
  }

  public static synchronized TestDatabase get() {
    if (instance == null) {
      String host = env("CRM_TEST_DB_HOST", "127.0.0.1");
      int port = Integer.parseInt(env("CRM_TEST_DB_PORT", "5432"));
      String user = env("CRM_TEST_DB_USER", "postgres");
      String password = env("CRM_TEST_DB_PASSWORD", "postgres");
      TestDatabase local = new TestDatabase(host, port, user, password);
      instance = local.answers() ? local : embedded();
    }
    return instance;
  }

  private static TestDatabase embedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException ignored) {
          // the JVM is going away anyway
        }
      }));
      return new TestDatabase("127.0.0.1", pg.getPort(), "postgres", "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("no PostgreSQL on 127.0.0.1 and the embedded one did not start", e);
    }
  }

  private boolean answers() {
    try (Connection ignored = connect("postgres")) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), user, password);
  }

  /**
   * The database this JVM actually uses for the one a test names. The pid is the same in every
   * class loader of the JVM (Quarkus loads test resources and tests in different ones).
   */
  public static String physicalName(String database) {
    return "postgres".equals(database) ? database : database + RUN_SUFFIX;
  }

  private static final String RUN_SUFFIX = "_p" + ProcessHandle.current().pid();

  /** Creates this JVM's copy of the database if it does not exist yet (empty: the service migrates it). */
  public void ensureDatabase(String database) {
    String name = physicalName(database).replaceAll("[^a-z0-9_]", "");
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
         Statement s = c.createStatement()) {
      dropLeftoversOfDeadRuns(s);
      var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(name)));
      }
    } catch (SQLException e) {
      if (!"42P04".equals(e.getSQLState())) { // created meanwhile from another class loader
        throw new IllegalStateException("cannot create test database " + name, e);
      }
    }
  }

  private void drop(String name) {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
         Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException ignored) {
      // the next run drops it as a leftover
    }
  }

  /** Databases of test JVMs that are gone (killed before their shutdown hook ran). */
  private static void dropLeftoversOfDeadRuns(Statement s) throws SQLException {
    var rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname ~ '^crm_[a-z0-9_]+_test_p[0-9]+$'");
    var dead = new java.util.ArrayList<String>();
    while (rs.next()) {
      String name = rs.getString(1);
      long pid = Long.parseLong(name.substring(name.lastIndexOf("_p") + 2));
      if (ProcessHandle.of(pid).isEmpty()) {
        dead.add(name);
      }
    }
    for (String name : dead) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + physicalName(database);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
