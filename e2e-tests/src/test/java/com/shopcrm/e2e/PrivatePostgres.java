package com.shopcrm.e2e;

import com.shopcrm.launcher.DatabaseTarget;
import com.shopcrm.launcher.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the fault tests' own, made with the machine's server binaries
 * ({@code /usr/lib/postgresql/<version>/bin}) in a temporary directory on a free port, so that a
 * test can restart it ({@code pg_ctl restart -m fast}: a real server restart, every connection
 * dropped) without touching the server the other tests use. As root (CI) the server runs as the
 * {@code postgres} user, as PostgreSQL requires. {@link #binaries()} is empty where no server is
 * installed: the tests skip.
 */
final class PrivatePostgres implements AutoCloseable {

  private final Path bin;
  private final Path data;
  private final int port;

  private PrivatePostgres(Path bin, Path data, int port) {
    this.bin = bin;
    this.data = data;
    this.port = port;
  }

  /** The newest installed server's bin directory, if any. */
  static Optional<Path> binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(b -> b.getParent().getFileName().toString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** initdb + start on a free port (trust authentication on 127.0.0.1, fsync off: a test cluster). */
  static PrivatePostgres start(Path bin) {
    try {
      Path data = Files.createTempDirectory("crm-faults-pg");
      int port = Ports.freeRange(25432, 1);
      PrivatePostgres pg = new PrivatePostgres(bin, data, port);
      if (root()) {
        run(List.of("chown", "postgres:postgres", data.toString()));
      }
      pg.pg("initdb", "-D", data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-instructions");
      pg.pg("pg_ctl", "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w", "-t", "60", "-o",
          "-p " + port + " -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  DatabaseTarget target() {
    return new DatabaseTarget(DatabaseTarget.Kind.GIVEN, "127.0.0.1", port, "postgres", "postgres", "postgres");
  }

  int port() {
    return port;
  }

  /** A fast restart: sessions are disconnected, the server shuts down cleanly and starts again. */
  void restart() {
    // -l again: without it the restarted server would write to (and hold open) this process's pipe
    pg("pg_ctl", "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-m", "fast", "-w", "-t", "60",
        "restart");
  }

  @Override
  public void close() {
    try {
      pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
    } finally {
      run(List.of("rm", "-rf", data.toString()));
    }
  }

  private void pg(String tool, String... args) {
    List<String> command = new ArrayList<>();
    if (root()) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(tool).toString());
    command.addAll(List.of(args));
    run(command);
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void run(List<String> command) {
    try {
      Path output = Files.createTempFile("crm-faults-pg", ".out");
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      boolean ended = p.waitFor(120, TimeUnit.SECONDS);
      String text = Files.readString(output);
      Files.deleteIfExists(output);
      if (!ended || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
