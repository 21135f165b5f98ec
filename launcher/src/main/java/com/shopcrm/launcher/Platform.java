package com.shopcrm.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The whole platform on one machine: {@link #up()} makes sure there is a PostgreSQL with the five
 * databases, the key pair and the admin key, then starts the four backends and, once they are
 * ready, the gateway; {@link #down()} stops what {@code up} started; {@link #status()} says what
 * runs. Every step is safe to repeat: a service that already runs is left alone. The CLI and the
 * end-to-end tests both drive this class.
 */
public final class Platform {

  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final PlatformConfig config;
  private final PrintWriter out;

  public Platform(PlatformConfig config, PrintWriter out) {
    this.config = config;
    this.out = out;
  }

  public PlatformConfig config() {
    return config;
  }

  /** What {@code up} leaves running. */
  public record Running(String gatewayUrl, AdminKey adminKey, DatabaseTarget database, Map<String, Long> pids) {
  }

  /** One service as {@code status} sees it; {@code pid} is null when it does not run. */
  public record ServiceStatus(String name, int port, Long pid, boolean ready) {
  }

  /** @param database what {@code up} last used, described; null when it never ran */
  public record Status(String database, boolean databaseAnswers, List<ServiceStatus> services) {

    public boolean allReady() {
      return services.stream().allMatch(ServiceStatus::ready);
    }
  }

  public Running up() {
    return locked(() -> {
      Instant began = Instant.now();
      requireJars();
      DatabaseTarget db = config.database() != null
          ? config.database()
          : DatabaseLocator.locate(config.environment(), config.stateDir(), this::say);
      say("PostgreSQL: " + db.describe());
      for (ServiceSpec s : ServiceSpec.all()) {
        if (db.ensureDatabase(s.database(config.dbPrefix()))) {
          say("  created database " + s.database(config.dbPrefix()));
        }
      }
      KeyFiles keys = KeyFiles.ensure(config.stateDir().resolve("keys"));
      AdminKey admin = config.adminKey() != null
          ? new AdminKey(config.adminKey(), AdminKey.Source.ENVIRONMENT)
          : AdminKey.resolve(config.environment().get("CRM_BOOTSTRAP_ADMIN_KEY"),
              config.stateDir().resolve("admin-key"));
      saveState(db);

      Map<String, Long> pids = new LinkedHashMap<>();
      pids.putAll(startAndAwait(ServiceSpec.BACKENDS, db, keys, admin));
      pids.putAll(startAndAwait(List.of(ServiceSpec.GATEWAY), db, keys, admin));
      say("All five services are ready (" + Duration.between(began, Instant.now()).toMillis() / 100 / 10.0 + " s).");
      return new Running(config.gatewayUrl(), admin, db, pids);
    });
  }

  /** Stops the services (gateway first) and the embedded PostgreSQL of this state directory. */
  public void down() {
    locked(() -> {
      List<ProcessHandle> gateway = new ArrayList<>();
      List<ProcessHandle> backends = new ArrayList<>();
      for (ServiceSpec s : ServiceSpec.all()) {
        Optional<ProcessHandle> p = process(s).running();
        if (p.isPresent()) {
          say("Stopping " + s.name() + " (pid " + p.get().pid() + ")");
          (s == ServiceSpec.GATEWAY ? gateway : backends).add(p.get());
        }
      }
      ServiceProcess.stopAll(gateway, STOP_GRACE);
      ServiceProcess.stopAll(backends, STOP_GRACE);
      for (ServiceSpec s : ServiceSpec.all()) {
        process(s).pidFile().delete();
      }
      boolean pgStopped = new EmbeddedPostgresServer(config.stateDir()).stop(this::say);
      if (gateway.isEmpty() && backends.isEmpty() && !pgStopped) {
        say("Nothing was running.");
      } else {
        say("Stopped.");
      }
      return null;
    });
  }

  public Status status() {
    List<ServiceStatus> services = new ArrayList<>();
    for (ServiceSpec s : ServiceSpec.all()) {
      ServiceProcess p = process(s);
      Optional<ProcessHandle> running = p.running();
      services.add(new ServiceStatus(s.name(), p.port(), running.map(ProcessHandle::pid).orElse(null),
          running.isPresent() && p.isReady()));
    }
    Properties state = loadState();
    String db = null;
    boolean answers = false;
    if (state.getProperty("db.host") != null) {
      DatabaseTarget target = new DatabaseTarget(
          DatabaseTarget.Kind.valueOf(state.getProperty("db.kind", "GIVEN")),
          state.getProperty("db.host"), Integer.parseInt(state.getProperty("db.port", "5432")),
          state.getProperty("db.user", "postgres"), null, null);
      db = target.describe() + ", databases " + state.getProperty("db.prefix", config.dbPrefix()) + "*";
      answers = tcpAnswers(target.host(), target.port());
    }
    return new Status(db, answers, services);
  }

  /** The log file of a service ({@code gateway}, {@code customer-service} or {@code customer}) or of {@code postgres}. */
  public Path logFile(String name) {
    if (name.equals("postgres") || name.equals("postgresql")) {
      return new EmbeddedPostgresServer(config.stateDir()).logFile();
    }
    ServiceSpec spec = ServiceSpec.byName(name).orElseThrow(() -> new PlatformException(
        "no service called " + name + "; one of: gateway, customer-service, order-service, scoring-service,"
            + " campaign-service, postgres"));
    return process(spec).logFile();
  }

  /** The last lines of every service's log, for a failed test or start. */
  public String logTails(int lines) {
    StringBuilder text = new StringBuilder();
    for (ServiceSpec s : ServiceSpec.all()) {
      Path log = process(s).logFile();
      text.append("----- ").append(log).append(" (last ").append(lines).append(" lines)\n");
      for (String line : ServiceProcess.tail(log, lines)) {
        text.append(line).append('\n');
      }
    }
    return text.toString();
  }

  /** The service's process handle on the port base of the running platform (or the configured one). */
  public ServiceProcess process(ServiceSpec spec) {
    return new ServiceProcess(spec, spec.port(effectivePortBase()), config.stateDir());
  }

  private int effectivePortBase() {
    // While the platform runs, status/down/logs use the port base `up` used.
    String saved = loadState().getProperty("port.base");
    boolean anyRunning = ServiceSpec.all().stream().anyMatch(s -> Files.exists(
        config.stateDir().resolve("run").resolve(s.name() + ".pid")));
    return saved != null && anyRunning ? Integer.parseInt(saved) : config.portBase();
  }

  private Map<String, Long> startAndAwait(List<ServiceSpec> group, DatabaseTarget db, KeyFiles keys, AdminKey admin) {
    Map<String, ProcessHandle> started = new LinkedHashMap<>();
    Map<String, Long> pids = new LinkedHashMap<>();
    for (ServiceSpec s : group) {
      ServiceProcess p = new ServiceProcess(s, s.port(config.portBase()), config.stateDir());
      Optional<ProcessHandle> running = p.running();
      if (running.isPresent()) {
        say(String.format("  %-17s already running (pid %d, port %d)", s.name(), running.get().pid(), p.port()));
        started.put(s.name(), running.get());
        continue;
      }
      if (!Ports.isFree(p.port())) {
        throw new PlatformException("port " + p.port() + " for " + s.name() + " is taken by another program."
            + " Stop it, or use another --port-base.");
      }
      ProcessHandle h = p.start(command(s), environment(s, db, keys, admin), config.root());
      say(String.format("  %-17s starting (pid %d, port %d, log %s)", s.name(), h.pid(), p.port(),
          shortPath(p.logFile())));
      started.put(s.name(), h);
    }
    Instant deadline = Instant.now().plus(config.readyTimeout());
    for (ServiceSpec s : group) {
      ServiceProcess p = new ServiceProcess(s, s.port(config.portBase()), config.stateDir());
      ProcessHandle h = started.get(s.name());
      p.awaitReady(h, deadline);
      pids.put(s.name(), h.pid());
    }
    return pids;
  }

  private List<String> command(ServiceSpec s) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(PlatformConfig.jvmOptionsOf(s.name(), config.javaOptions()));
    command.add("-jar");
    command.add(s.jar(config.root()).toString());
    return command;
  }

  /** The environment of one service (ARCHITECTURE platform conventions). */
  Map<String, String> environment(ServiceSpec s, DatabaseTarget db, KeyFiles keys, AdminKey admin) {
    Map<String, String> env = new HashMap<>(config.environment());
    // Launcher-only settings and the secrets stay out unless given below to whom needs them.
    env.keySet().removeAll(List.of("CRM_DB_URL", "CRM_DB_EMBEDDED", "CRM_BOOTSTRAP_ADMIN_KEY",
        "CRM_JWT_PRIVATE_KEY_LOCATION"));
    PlatformConfig.SERVICE_ENVIRONMENT.forEach(env::putIfAbsent);
    env.put("CRM_HTTP_PORT", Integer.toString(s.port(config.portBase())));
    env.put("CRM_DB_HOST", db.host());
    env.put("CRM_DB_PORT", Integer.toString(db.port()));
    env.put("CRM_DB_NAME", s.database(config.dbPrefix()));
    env.put("CRM_DB_USER", db.user());
    env.put("CRM_DB_PASSWORD", db.password() == null ? "" : db.password());
    env.put("CRM_JWT_PUBLIC_KEY_LOCATION", keys.publicKey().toString());
    if (s.signsInternalTokens()) {
      env.put("CRM_JWT_PRIVATE_KEY_LOCATION", keys.privateKey().toString());
    }
    // Where the services are: the gateway routes to them, and they call each other (order-service
    // creates customers and delivers order events to customer- and scoring-service).
    for (ServiceSpec backend : ServiceSpec.BACKENDS) {
      env.put(backend.urlVariable(), "http://127.0.0.1:" + backend.port(config.portBase()));
    }
    if (s == ServiceSpec.GATEWAY) {
      env.put("CRM_BOOTSTRAP_ADMIN_KEY", admin.value());
    }
    return env;
  }

  /** A path under the checkout relative to it ({@code .crm/logs/gateway.log}), any other as is. */
  private String shortPath(Path path) {
    return path.startsWith(config.root()) ? config.root().relativize(path).toString() : path.toString();
  }

  private void requireJars() {
    List<String> missing = new ArrayList<>();
    for (ServiceSpec s : ServiceSpec.all()) {
      if (!Files.isRegularFile(s.jar(config.root()))) {
        missing.add(config.root().relativize(s.jar(config.root())).toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new PlatformException("not built yet: " + String.join(", ", missing)
          + ". Run ./mvnw -DskipTests install (./crm up does it for you).");
    }
  }

  private void saveState(DatabaseTarget db) {
    Properties state = new Properties();
    state.setProperty("port.base", Integer.toString(config.portBase()));
    state.setProperty("db.prefix", config.dbPrefix());
    state.setProperty("db.kind", db.kind().name());
    state.setProperty("db.host", db.host());
    state.setProperty("db.port", Integer.toString(db.port()));
    state.setProperty("db.user", db.user());
    Path file = stateFile();
    try {
      Files.createDirectories(file.getParent());
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        state.store(w, "written by crm up; read by crm status/down");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private Properties loadState() {
    Properties state = new Properties();
    Path file = stateFile();
    if (Files.isRegularFile(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        state.load(r);
      } catch (IOException e) {
        // an unreadable state file is as good as none
      }
    }
    return state;
  }

  private Path stateFile() {
    return config.stateDir().resolve("run").resolve("platform.properties");
  }

  private static boolean tcpAnswers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** One {@code up} or {@code down} at a time per state directory. */
  private <T> T locked(Supplier<T> action) {
    Path lockFile = config.stateDir().resolve("run").resolve(".lock");
    try {
      Files.createDirectories(lockFile.getParent());
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          say("Another crm up/down is running on " + config.stateDir() + "; waiting for it ...");
          lock = channel.lock();
        }
        try {
          return action.get();
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + lockFile, e);
    }
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }
}
