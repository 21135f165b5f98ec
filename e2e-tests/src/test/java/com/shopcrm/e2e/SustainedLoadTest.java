package com.shopcrm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sustained-load benchmark ({@code bench/sustained}) at CI size against the suite's platform:
 * the mix's capacity in a short closed loop, then 12 s of the open model at half of it through the
 * gateway; no request may fail and every acknowledged write (customers created and updated, orders)
 * must be found afterwards. It runs the benchmark's own load generator, compiled as
 * {@code bench/sustained/run.sh} compiles it, so the two cannot drift apart.
 */
@ExtendWith(PlatformExtension.class)
class SustainedLoadTest {

  private final E2ePlatform platform;

  SustainedLoadTest(E2ePlatform platform) {
    this.platform = platform;
  }

  @Test
  void halfOfCapacityThroughTheGatewayHasNoErrorsAndLosesNoAcknowledgedWrite() throws Exception {
    Path root = Path.of(System.getProperty("crm.root", "..")).toAbsolutePath().normalize();
    Path classes = Path.of("target", "sustained-load-classes").toAbsolutePath();
    Files.createDirectories(classes);
    int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-nowarn", "-d", classes.toString(),
        root.resolve("bench/common/BenchSupport.java").toString(),
        root.resolve("bench/sustained/SustainedLoadBench.java").toString());
    assertEquals(0, compiled, "bench/sustained/SustainedLoadBench.java compiles");

    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classes.toString(),
        "SustainedLoadBench", "gateway=http://127.0.0.1:" + platform.portBase(),
        "platform-key=" + E2ePlatform.ADMIN_KEY,
        "customers=50", "warmup=3", "capacity-seconds=5", "seconds=12", "concurrency=8", "fraction=0.5"));
    Path log = Files.createTempFile("sustained-load", ".log");
    Process load = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = load.waitFor(150, TimeUnit.SECONDS);
    if (!finished) {
      load.destroyForcibly();
    }
    String output = read(log);
    System.out.println(output);
    assertTrue(finished, "the load run finished within 150 s:\n" + output);
    assertTrue(output.contains("BENCH-RESULT\tsustained.errors"), "the run reported its errors:\n" + output);
    assertEquals(0, load.exitValue(), "no failed request and every acknowledged write found:\n" + output);
  }

  private static String read(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
