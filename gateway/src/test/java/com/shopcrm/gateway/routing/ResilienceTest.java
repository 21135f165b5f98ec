package com.shopcrm.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.gateway.FakeUpstreams;
import com.shopcrm.gateway.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ResilienceTest extends GatewayTest {

  @io.quarkus.test.common.http.TestHTTPResource("/")
  java.net.URL gateway;

  @Test
  void breakerOpensAfterFailuresAnswers503AtOnceAndRecovers() throws Exception {
    IssuedKey key = issueKey(newTenant("breaker"), "marketer");
    FakeUpstreams.FLAKY_DOWN.set(true);
    try {
      for (int i = 0; i < 3; i++) { // flaky: breaker-failures=3, breaker-open-for=1s
        given().header("Authorization", key.bearer()).get("/api/v1/flaky").then().statusCode(503);
      }
      int hits = FakeUpstreams.FLAKY_HITS.get();
      Response refused = given().header("Authorization", key.bearer()).get("/api/v1/flaky");
      refused.then().statusCode(503).contentType("application/problem+json")
          .body("detail", containsString("circuit open")).header("Retry-After", "1");
      assertEquals(hits, FakeUpstreams.FLAKY_HITS.get(), "an open circuit does not call the service");
      given().header("Authorization", key.bearer()).get("/api/v1/status")
          .then().statusCode(200).body("services.find { it.name == 'flaky' }.circuit", equalTo("open"));

      // still down at the probe: open again
      Thread.sleep(1100);
      given().header("Authorization", key.bearer()).get("/api/v1/flaky").then().statusCode(503);
      assertEquals(hits + 1, FakeUpstreams.FLAKY_HITS.get(), "one probe went through");
      given().header("Authorization", key.bearer()).get("/api/v1/flaky")
          .then().statusCode(503).body("detail", containsString("circuit open"));

      FakeUpstreams.FLAKY_DOWN.set(false);
      Thread.sleep(1100);
      given().header("Authorization", key.bearer()).get("/api/v1/flaky").then().statusCode(200);
      given().header("Authorization", key.bearer()).get("/api/v1/flaky").then().statusCode(200);
      given().header("Authorization", key.bearer()).get("/api/v1/status")
          .then().statusCode(200).body("services.find { it.name == 'flaky' }.circuit", equalTo("closed"));
    } finally {
      FakeUpstreams.FLAKY_DOWN.set(false);
    }
  }

  /**
   * Clients that go away before their answer arrives must not keep the gateway's connections to the
   * service: scoring has a pool of 4 (FakeUpstreams); 12 abandoned requests later it still answers.
   */
  @Test
  void clientsThatGoAwayDoNotUseUpTheConnectionPool() throws Exception {
    IssuedKey key = issueKey(newTenant("abandon"), "marketer");
    for (int i = 0; i < 12; i++) {
      try (java.net.Socket socket = new java.net.Socket(gateway.getHost(), gateway.getPort())) {
        socket.getOutputStream().write(("GET /api/v1/scores/delayed HTTP/1.1\r\nHost: x\r\nAuthorization: "
            + key.bearer() + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        Thread.sleep(50);
      }
    }
    Thread.sleep(1000); // the service has answered every abandoned request by now
    long start = System.nanoTime();
    given().header("Authorization", key.bearer()).get("/api/v1/scores/1").then().statusCode(200);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 1500, "took " + ms + " ms");
    // a client going away is not the service failing: the circuit stays closed
    given().header("Authorization", key.bearer()).get("/api/v1/status")
        .then().statusCode(200).body("services.find { it.name == 'scoring' }.circuit", equalTo("closed"));
  }

  @Test
  void statusShowsEachServiceWithItsVersion() {
    IssuedKey key = issueKey(newTenant("status"), "analyst");
    long start = System.nanoTime();
    given().header("Authorization", key.bearer()).get("/api/v1/status")
        .then().statusCode(200)
        .body("status", equalTo("DEGRADED"))
        .body("services.find { it.name == 'customer' }.status", equalTo("UP"))
        .body("services.find { it.name == 'customer' }.version", equalTo(FakeUpstreams.CUSTOMER_VERSION)) // from /q/info
        .body("services.find { it.name == 'scoring' }.version", equalTo("1.0")) // from its OpenAPI info
        .body("services.find { it.name == 'order' }.status", equalTo("DOWN"))
        .body("services.find { it.name == 'order' }.version", equalTo(null));
    assertTrue((System.nanoTime() - start) / 1_000_000 < 5000);
    given().get("/api/v1/status").then().statusCode(401);
  }
}
