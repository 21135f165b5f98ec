package com.shopcrm.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A file holding one process id, as {@code kill $(cat .crm/run/gateway.pid)} expects. A pid file
 * is stale when its process is gone, or when the pid now belongs to a process that started after
 * the file was written (the system reused the number); {@link #live()} removes stale files.
 */
public final class PidFile {

  /** File times and process start times come from different clocks with different grain. */
  private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

  private final Path file;

  public PidFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  public void write(long pid) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The process the file names, if it still runs; a stale file is deleted. */
  public Optional<ProcessHandle> live() {
    Optional<Long> pid = read();
    if (pid.isEmpty()) {
      delete();
      return Optional.empty();
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
    if (process.isEmpty() || startedAfterFileWritten(process.get())) {
      delete();
      return Optional.empty();
    }
    return process;
  }

  /** The pid written in the file, if there is a file and it holds a number. */
  public Optional<Long> read() {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
      long pid = Long.parseLong(text);
      return pid > 0 ? Optional.of(pid) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }

  private boolean startedAfterFileWritten(ProcessHandle process) {
    Optional<Instant> started = process.info().startInstant();
    if (started.isEmpty()) {
      return false; // the system does not say; trust the pid
    }
    try {
      FileTime written = Files.getLastModifiedTime(file);
      return started.get().isAfter(written.toInstant().plus(CLOCK_SLACK));
    } catch (IOException e) {
      return false;
    }
  }
}
