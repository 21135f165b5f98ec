package com.shopcrm.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One service as a detached process: {@code java -jar <module>/target/quarkus-app/quarkus-run.jar}
 * with its output in {@code <state>/logs/<service>.log} and its pid in
 * {@code <state>/run/<service>.pid}, so any later {@code crm} invocation can find and stop it.
 */
public final class ServiceProcess {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  private final ServiceSpec spec;
  private final int port;
  private final PidFile pidFile;
  private final Path logFile;

  public ServiceProcess(ServiceSpec spec, int port, Path stateDir) {
    this.spec = spec;
    this.port = port;
    this.pidFile = new PidFile(stateDir.resolve("run").resolve(spec.name() + ".pid"));
    this.logFile = stateDir.resolve("logs").resolve(spec.name() + ".log");
  }

  public ServiceSpec spec() {
    return spec;
  }

  public int port() {
    return port;
  }

  public Path logFile() {
    return logFile;
  }

  public PidFile pidFile() {
    return pidFile;
  }

  /** The running process, if its pid file names a live one. */
  public Optional<ProcessHandle> running() {
    return pidFile.live();
  }

  /**
   * Starts the service detached (in a session of its own where {@code setsid} exists, so a
   * terminal closing or a Ctrl-C in it does not reach the service). The previous log is kept as
   * {@code <service>.log.1}.
   */
  public ProcessHandle start(List<String> command, Map<String, String> environment, Path workDir) {
    try {
      Files.createDirectories(logFile.getParent());
      if (Files.exists(logFile)) {
        Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      List<String> full = new ArrayList<>();
      Optional<Path> setsid = onPath("setsid");
      setsid.ifPresent(p -> full.add(p.toString()));
      full.addAll(command);
      ProcessBuilder builder = new ProcessBuilder(full)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(EmbeddedPostgresServer.nullDevice()));
      builder.environment().clear();
      builder.environment().putAll(environment);
      Process process = builder.start();
      pidFile.write(process.pid());
      return process.toHandle();
    } catch (IOException e) {
      throw new PlatformException("cannot start " + spec.name() + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code /q/health/ready} answers 200 right now. */
  public boolean isReady() {
    HttpRequest request = HttpRequest.newBuilder(healthUri())
        .timeout(Duration.ofSeconds(3))
        .GET()
        .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits until the service is ready; fails early when its process ends. */
  public void awaitReady(ProcessHandle process, Instant deadline) {
    while (true) {
      if (isReady()) {
        return;
      }
      if (!process.isAlive()) {
        pidFile.delete();
        throw new PlatformException(spec.name() + " stopped during start-up; see " + logFile
            + lastLines());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new PlatformException(spec.name() + " (pid " + process.pid() + ", port " + port
            + ") was not ready in time at " + healthUri() + "; see " + logFile + lastLines());
      }
      sleep(Duration.ofMillis(250));
    }
  }

  public URI healthUri() {
    return URI.create("http://127.0.0.1:" + port + "/q/health/ready");
  }

  /** The last lines of the log, indented, for an error message. */
  public String lastLines() {
    List<String> tail = tail(logFile, 15);
    return tail.isEmpty() ? "" : "\n  | " + String.join("\n  | ", tail);
  }

  static List<String> tail(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  /**
   * Stops processes: SIGTERM to all at once (Quarkus shuts down gracefully), then SIGKILL to any
   * still there after {@code grace}. Returns when all have ended.
   */
  public static void stopAll(Collection<ProcessHandle> processes, Duration grace) {
    List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
    for (ProcessHandle p : processes) {
      p.destroy();
      exits.add(p.onExit());
    }
    try {
      CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      for (ProcessHandle p : processes) {
        if (p.isAlive()) {
          p.destroyForcibly();
        }
      }
      try {
        CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException ignored) {
        // a process that survives SIGKILL is beyond our reach
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    } catch (ExecutionException ignored) {
      // onExit does not fail
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Optional<Path> onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("interrupted");
    }
  }
}
