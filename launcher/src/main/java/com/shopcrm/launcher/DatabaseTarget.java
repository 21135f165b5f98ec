package com.shopcrm.launcher;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server the platform uses: where it is, how to log in, and where it came from. The
 * services each get a database of their own on it; {@code maintenanceDatabase} is the one the
 * launcher connects to for creating them.
 */
public record DatabaseTarget(
    Kind kind, String host, int port, String user, String password, String maintenanceDatabase) {

  /** Where the server came from, for the operator's benefit (and for {@code crm down}). */
  public enum Kind {
    /** named by {@code CRM_DB_URL} */
    CONFIGURED("PostgreSQL from CRM_DB_URL"),
    /** found on 127.0.0.1:5432 */
    LOCAL("local PostgreSQL"),
    /** started by the launcher under the state directory */
    EMBEDDED("embedded PostgreSQL"),
    /** handed over by the caller (the end-to-end tests) */
    GIVEN("PostgreSQL");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final int LOGIN_TIMEOUT_SECONDS = 3;

  public DatabaseTarget {
    if (maintenanceDatabase == null || maintenanceDatabase.isBlank()) {
      maintenanceDatabase = "postgres";
    }
  }

  public String jdbcUrl(String database) {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + database;
  }

  public Connection connect(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("loginTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
    props.setProperty("connectTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
    return DriverManager.getConnection(jdbcUrl(database), props);
  }

  /** Whether the server accepts our login right now. */
  public boolean answers() {
    try (Connection ignored = connect(maintenanceDatabase)) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Creates the database unless it exists; returns whether it was created. */
  public boolean ensureDatabase(String database) {
    if (!SAFE_NAME.matcher(database).matches()) {
      throw new PlatformException("not a usable database name: " + database
          + " (lower-case letters, digits and _ only)");
    }
    try (Connection c = connect(maintenanceDatabase)) {
      try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        q.setString(1, database);
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            return false;
          }
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + database); // name checked against SAFE_NAME above
        return true;
      }
    } catch (SQLException e) {
      if ("42P04".equals(e.getSQLState())) { // created meanwhile by a parallel run
        return false;
      }
      throw new PlatformException("cannot create database " + database + " on " + describe() + ": "
          + e.getMessage(), e);
    }
  }

  /** {@code local PostgreSQL 127.0.0.1:5432 (user postgres)}. */
  public String describe() {
    return kind.label() + " " + host + ":" + port + " (user " + user + ")";
  }
}
