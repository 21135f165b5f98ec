package com.shopcrm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformConfigTest {

  @Test
  void theGatewayAloneRunsWithC2() {
    List<String> options = PlatformConfig.defaults(Path.of("."), Map.of()).javaOptions();
    assertEquals(List.of("-Xmx200m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), options);
    assertEquals(List.of("-Xmx200m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=4"),
        PlatformConfig.jvmOptionsOf("gateway", options));
    for (String service : List.of("customer-service", "order-service", "scoring-service", "campaign-service")) {
      assertEquals(options, PlatformConfig.jvmOptionsOf(service, options));
    }
  }

  @Test
  void crmJavaOptsStillHaveTheLastWord() {
    List<String> options = PlatformConfig.defaults(Path.of("."),
        Map.of("CRM_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -Xmx300m")).javaOptions();
    // HotSpot takes the last of a repeated flag: the user's C1 and heap win for the gateway too
    assertEquals(List.of("-Xmx200m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=4", "-XX:TieredStopAtLevel=1",
        "-Xmx300m"), PlatformConfig.jvmOptionsOf("gateway", options));
  }
}
