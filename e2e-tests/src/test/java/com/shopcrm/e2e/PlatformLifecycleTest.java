package com.shopcrm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.launcher.Platform;
import com.shopcrm.launcher.ServiceSpec;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code crm status} and a repeated {@code crm up}, on the real platform. */
@ExtendWith(PlatformExtension.class)
class PlatformLifecycleTest {

  private final E2ePlatform platform;

  PlatformLifecycleTest(E2ePlatform platform) {
    this.platform = platform;
  }

  @Test
  void statusReportsAllFiveReadyAndTheDatabase() {
    Platform.Status status = platform.platform().status();

    assertEquals(ServiceSpec.all().size(), status.services().size());
    for (Platform.ServiceStatus s : status.services()) {
      assertNotNull(s.pid(), s.name() + " has a pid");
      assertTrue(s.ready(), s.name() + " is ready");
      assertEquals(ServiceSpec.byName(s.name()).orElseThrow().port(platform.portBase()), s.port());
    }
    assertTrue(status.allReady());
    assertNotNull(status.database());
    assertTrue(status.database().contains(platform.platform().config().dbPrefix()), status.database());
    assertTrue(status.databaseAnswers());
  }

  @Test
  void upAgainLeavesTheRunningServicesAlone() {
    // the processes running now (another test may have restarted one since the platform started)
    Map<String, Long> before = pids();

    Platform.Running again = platform.platform().up();

    assertEquals(before, again.pids());
    assertEquals(before, pids());
  }

  private Map<String, Long> pids() {
    return platform.platform().status().services().stream()
        .collect(Collectors.toMap(Platform.ServiceStatus::name, Platform.ServiceStatus::pid));
  }
}
