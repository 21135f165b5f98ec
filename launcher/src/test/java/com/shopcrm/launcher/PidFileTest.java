package com.shopcrm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

  @TempDir
  Path dir;

  @Test
  void liveProcessIsFound() {
    PidFile file = new PidFile(dir.resolve("run").resolve("gateway.pid"));
    file.write(ProcessHandle.current().pid());

    assertEquals(ProcessHandle.current().pid(), file.live().orElseThrow().pid());
    assertTrue(Files.exists(file.path()));
  }

  @Test
  void holdsOnlyThePidSoKillCatWorks() throws Exception {
    PidFile file = new PidFile(dir.resolve("gateway.pid"));
    file.write(4242);

    assertEquals("4242\n", Files.readString(file.path()));
  }

  @Test
  void endedProcessMakesTheFileStaleAndItIsRemoved() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    assertTrue(ended.waitFor(10, TimeUnit.SECONDS));
    PidFile file = new PidFile(dir.resolve("customer-service.pid"));
    file.write(ended.pid());

    assertTrue(file.live().isEmpty());
    assertFalse(Files.exists(file.path()));
  }

  @Test
  void reusedPidIsStale() throws Exception {
    // The file was written long before the process holding that pid now started: the system
    // reused the number for another program, which must not be taken for (or killed as) ours.
    PidFile file = new PidFile(dir.resolve("order-service.pid"));
    file.write(ProcessHandle.current().pid());
    Files.setLastModifiedTime(file.path(), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

    assertTrue(file.live().isEmpty());
    assertFalse(Files.exists(file.path()));
  }

  @Test
  void garbageOrMissingFileIsStale() throws Exception {
    PidFile garbage = new PidFile(dir.resolve("scoring-service.pid"));
    Files.writeString(garbage.path(), "not a pid\n");
    assertTrue(garbage.live().isEmpty());
    assertFalse(Files.exists(garbage.path()));

    assertTrue(new PidFile(dir.resolve("missing.pid")).live().isEmpty());
  }
}
