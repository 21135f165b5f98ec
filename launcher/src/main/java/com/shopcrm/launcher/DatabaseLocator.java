package com.shopcrm.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Finds the PostgreSQL for {@code crm up} (ARCHITECTURE §5): the server named by
 * {@code CRM_DB_URL} (with {@code CRM_DB_USER}/{@code CRM_DB_PASSWORD}); else the one on
 * 127.0.0.1:5432 (user postgres) if it answers; else an embedded one started under the state
 * directory. {@code CRM_DB_EMBEDDED=always} goes straight to the embedded server,
 * {@code CRM_DB_EMBEDDED=never} forbids it. An embedded server of this state directory that is
 * already running is preferred over the local one, so a platform keeps the data it started with.
 */
public final class DatabaseLocator {

  static final String LOCAL_HOST = "127.0.0.1";
  static final int LOCAL_PORT = 5432;

  private DatabaseLocator() {
  }

  public static DatabaseTarget locate(Map<String, String> env, Path stateDir, Consumer<String> out) {
    String mode = env.getOrDefault("CRM_DB_EMBEDDED", "auto").trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("auto") && !mode.equals("always") && !mode.equals("never")) {
      throw new PlatformException("CRM_DB_EMBEDDED must be auto, always or never, not " + mode);
    }
    EmbeddedPostgresServer embedded = new EmbeddedPostgresServer(stateDir);
    if (mode.equals("always")) {
      return startEmbedded(embedded, out);
    }

    String url = env.get("CRM_DB_URL");
    if (url != null && !url.isBlank()) {
      DatabaseTarget configured = DatabaseUrl.parse(url, env.get("CRM_DB_USER"), env.get("CRM_DB_PASSWORD"));
      if (!configured.answers()) {
        throw new PlatformException("the PostgreSQL named by CRM_DB_URL (" + configured.host() + ":"
            + configured.port() + ", user " + configured.user() + ") does not accept a login."
            + " Check the server, CRM_DB_USER and CRM_DB_PASSWORD, or unset CRM_DB_URL"
            + " (CRM_DB_EMBEDDED=always starts an embedded one).");
      }
      return configured;
    }

    OptionalInt ours = embedded.runningPort();
    if (ours.isPresent() && !mode.equals("never")) {
      return EmbeddedPostgresServer.target(ours.getAsInt());
    }

    DatabaseTarget local = new DatabaseTarget(DatabaseTarget.Kind.LOCAL, LOCAL_HOST, LOCAL_PORT,
        env.getOrDefault("CRM_DB_USER", "postgres"), env.getOrDefault("CRM_DB_PASSWORD", "postgres"), "postgres");
    if (local.answers()) {
      return local;
    }
    if (mode.equals("never")) {
      throw new PlatformException("no PostgreSQL on " + LOCAL_HOST + ":" + LOCAL_PORT
          + " and CRM_DB_EMBEDDED=never: start one or set CRM_DB_URL");
    }
    out.accept("No PostgreSQL on " + LOCAL_HOST + ":" + LOCAL_PORT + "; using an embedded one.");
    return startEmbedded(embedded, out);
  }

  private static DatabaseTarget startEmbedded(EmbeddedPostgresServer embedded, Consumer<String> out) {
    int port = embedded.start(out);
    DatabaseTarget target = EmbeddedPostgresServer.target(port);
    for (int i = 0; i < 40 && !target.answers(); i++) {
      ServiceProcess.sleep(Duration.ofMillis(250));
    }
    if (!target.answers()) {
      throw new PlatformException("the embedded PostgreSQL on port " + port + " does not accept a login; see "
          + embedded.logFile());
    }
    return target;
  }
}
