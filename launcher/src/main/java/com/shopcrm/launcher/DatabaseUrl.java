package com.shopcrm.launcher;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code CRM_DB_URL}: {@code postgresql://host[:port][/db]}, the same with a
 * {@code jdbc:} prefix, or {@code postgres://}; a {@code user[:password]@} part is honoured when
 * {@code CRM_DB_USER}/{@code CRM_DB_PASSWORD} are not set. The database in the path is the one
 * the launcher connects to for creating the services' databases (default {@code postgres}).
 */
public final class DatabaseUrl {

  private static final int DEFAULT_PORT = 5432;
  private static final String DEFAULT_USER = "postgres";
  private static final Pattern SHAPE = Pattern.compile(
      "(?:jdbc:)?postgres(?:ql)?://"
          + "(?:(?<userinfo>[^@/?]*)@)?"
          + "(?<host>\\[[0-9a-fA-F:.]+]|[^:/?\\[\\]@]+)"
          + "(?::(?<port>\\d{1,5}))?"
          + "(?:/(?<db>[^/?]*))?"
          + "/?(?:\\?.*)?");

  private DatabaseUrl() {
  }

  /**
   * @param user the value of {@code CRM_DB_USER}, or null
   * @param password the value of {@code CRM_DB_PASSWORD}, or null
   */
  public static DatabaseTarget parse(String url, String user, String password) {
    if (url == null || url.isBlank()) {
      throw invalid(url, "it is empty");
    }
    Matcher m = SHAPE.matcher(url.trim());
    if (!m.matches()) {
      throw invalid(url, "it does not have that shape");
    }
    String host = m.group("host");
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = DEFAULT_PORT;
    if (m.group("port") != null) {
      port = Integer.parseInt(m.group("port"));
      if (port < 1 || port > 65535) {
        throw invalid(url, "the port must be between 1 and 65535");
      }
    }
    String database = m.group("db");

    String urlUser = null;
    String urlPassword = null;
    if (m.group("userinfo") != null) {
      String[] parts = m.group("userinfo").split(":", 2);
      urlUser = decode(parts[0]);
      urlPassword = parts.length > 1 ? decode(parts[1]) : null;
    }
    String effectiveUser = firstNonBlank(user, urlUser, DEFAULT_USER);
    String effectivePassword = firstNonBlank(password, urlPassword, DEFAULT_USER);
    return new DatabaseTarget(DatabaseTarget.Kind.CONFIGURED, host, port, effectiveUser,
        effectivePassword, database == null || database.isEmpty() ? null : database);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static PlatformException invalid(String url, String why) {
    String shown = url == null ? "" : url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
    return new PlatformException("CRM_DB_URL=" + shown + " is not usable: " + why
        + ". Expected postgresql://host:port[/db] or jdbc:postgresql://host:port[/db].");
  }
}
