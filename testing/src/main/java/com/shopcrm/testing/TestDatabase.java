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
 * once per JVM. Databases are created on demand.
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

  /** Creates the database if it does not exist yet. */
  public void ensureDatabase(String database) {
    try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "") + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE \"" + database.replace("\"", "") + "\"");
      }
    } catch (SQLException e) {
      if (!"42P04".equals(e.getSQLState())) { // created meanwhile by a parallel build
        throw new IllegalStateException("cannot create test database " + database, e);
      }
    }
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
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
