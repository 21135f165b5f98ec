package com.shopcrm.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.gateway.FakeUpstreams;
import com.shopcrm.gateway.GatewayTest;
import com.shopcrm.gateway.auth.Caller;
import com.shopcrm.gateway.auth.InternalTokenSigner;
import io.quarkus.logging.Log;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.jwt.util.KeyUtils;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Inject;
import java.net.URL;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProxyTest extends GatewayTest {

  @TestHTTPResource("/")
  URL gateway;

  @Inject
  InternalTokenSigner signer;

  private static String tenant;
  private static IssuedKey key;

  private static synchronized IssuedKey key() {
    if (key == null) {
      tenant = newTenant("proxy");
      key = issueKey(tenant, "marketer", "analyst");
    }
    return key;
  }

  @Test
  void forwardsMethodPathQueryAndBody() {
    for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
      JsonPath echo = given().header("Authorization", key().bearer())
          .contentType(ContentType.JSON).body("{\"name\":\"张三\"}")
          .urlEncodingEnabled(false)
          .request(method, "/api/v1/customers/42/tags?limit=5&q=a%20b")
          .then().statusCode(200).extract().jsonPath();
      assertEquals(method, echo.getString("method"));
      assertEquals("/api/v1/customers/42/tags?limit=5&q=a%20b", echo.getString("uri"));
      assertEquals(sha256("{\"name\":\"张三\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)), echo.getString("body_sha256"));
    }
    // every configured prefix of a service reaches it
    for (String path : List.of("/api/v1/scores/7", "/api/v1/kpis", "/api/v1/segments/1/count", "/api/v1/triggers")) {
      given().header("Authorization", key().bearer()).get(path).then().statusCode(200).body("uri", equalTo(path));
    }
  }

  @Test
  void streamsAMultiMegabyteBody() {
    byte[] body = new byte[12 * 1024 * 1024];
    new Random(7).nextBytes(body);
    given().header("Authorization", key().bearer()).contentType("text/csv").body(body)
        .post("/api/v1/customers/imports")
        .then().statusCode(200)
        .body("body_length", equalTo(body.length))
        .body("body_sha256", equalTo(sha256(body)));
  }

  /**
   * The service answers as soon as the first bytes arrive and the test sends the rest only after
   * reading that answer: a gateway that held the body (or the answer) back would hang here.
   */
  @Test
  void streamsBodiesBothWaysWithoutHoldingThem() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient client = vertx.createHttpClient();
      CompletableFuture<String> first = new CompletableFuture<>();
      CompletableFuture<String> rest = new CompletableFuture<>();
      StringBuilder received = new StringBuilder();
      HttpClientRequest request = client.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setHost(gateway.getHost()).setPort(gateway.getPort()).setURI("/api/v1/customers/imports/stream")
              .putHeader("Authorization", key().bearer()))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      request.setChunked(true);
      request.response().onSuccess((HttpClientResponse response) -> {
        response.handler(chunk -> {
          received.append(chunk.toString());
          if (received.toString().contains("first\n")) {
            first.complete(received.toString());
          }
        });
        response.endHandler(v -> rest.complete(received.toString()));
      }).onFailure(first::completeExceptionally);
      request.write(Buffer.buffer(new byte[64 * 1024]));

      assertEquals("first\n", first.get(5, TimeUnit.SECONDS), "the service got the first bytes while the upload went on");
      request.end(Buffer.buffer(new byte[1024 * 1024]));
      assertTrue(rest.get(10, TimeUnit.SECONDS).endsWith("total=" + (64 * 1024 + 1024 * 1024) + "\n"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  /** curl sends {@code Expect: 100-continue} for large uploads: a good key gets the go-ahead, a bad one a 401 before any body. */
  @Test
  void answersExpectContinueOnlyForAGoodKey() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient client = vertx.createHttpClient();
      byte[] body = new byte[256 * 1024];
      new Random(3).nextBytes(body);

      HttpClientRequest good = open(client, "/api/v1/customers/imports", key().bearer());
      CompletableFuture<Void> goAhead = new CompletableFuture<>();
      good.putHeader("Expect", "100-continue").putHeader("Content-Length", String.valueOf(body.length));
      good.continueHandler(v -> {
        goAhead.complete(null);
        good.end(Buffer.buffer(body));
      });
      // read the body as the response arrives (on its event loop), not later from this thread
      CompletableFuture<String> answer = good.response()
          .compose(r -> r.body().map(b -> r.statusCode() + " " + b))
          .toCompletionStage().toCompletableFuture();
      good.sendHead();
      goAhead.get(5, TimeUnit.SECONDS);
      String[] statusAndBody = answer.get(10, TimeUnit.SECONDS).split(" ", 2);
      JsonPath echo = new JsonPath(statusAndBody[1]);
      assertEquals("200", statusAndBody[0]);
      assertEquals(sha256(body), echo.getString("body_sha256"));
      assertNull(echo.getString("headers.expect"), "the gateway answered the Expect itself");

      HttpClientRequest bad = open(client, "/api/v1/customers/imports", "Bearer crm_revoked-or-never-issued-key-000");
      CompletableFuture<Void> badGoAhead = new CompletableFuture<>();
      bad.putHeader("Expect", "100-continue").putHeader("Content-Length", String.valueOf(body.length));
      bad.continueHandler(v -> badGoAhead.complete(null));
      bad.sendHead();
      assertEquals(401, bad.response().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).statusCode());
      assertFalse(badGoAhead.isDone(), "no go-ahead for a bad key");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  private HttpClientRequest open(HttpClient client, String uri, String authorization) throws Exception {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setHost(gateway.getHost()).setPort(gateway.getPort()).setURI(uri)
            .putHeader("Authorization", authorization))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void serviceSeesASignedInternalTokenAndNeverTheApiKey() throws Exception {
    IssuedKey k = key();
    JsonPath echo = given().header("Authorization", k.bearer())
        .header("X-Tenant-Id", "someone-else").header("X-Crm-Roles", "admin").header("X-Roles", "admin")
        .get("/api/v1/customers")
        .then().statusCode(200).extract().jsonPath();
    String authorization = echo.getString("headers.authorization");
    assertTrue(authorization.startsWith("Bearer "));
    assertFalse(authorization.contains(k.key()));
    assertNull(echo.getString("headers.x-tenant-id"));
    assertNull(echo.getString("headers.x-crm-roles"));
    assertNull(echo.getString("headers.x-roles"));

    PublicKey publicKey = KeyUtils.readPublicKey("crm-test-keys/publicKey.pem");
    JwtClaims claims = new JwtConsumerBuilder()
        .setVerificationKey(publicKey)
        .setExpectedIssuer("shop-crm-gateway")
        .setExpectedAudience("shop-crm")
        .setRequireExpirationTime()
        .setRequireJwtId()
        .build()
        .processToClaims(authorization.substring("Bearer ".length()));
    assertEquals(tenant, claims.getStringClaimValue("tenant_id"));
    assertEquals(k.id(), claims.getSubject());
    assertEquals(Set.of("marketer", "analyst"), Set.copyOf(claims.getStringListClaimValue("groups")));
    assertEquals(60, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
  }

  @Test
  void carriesTheRequestIdThrough() {
    Response r = given().header("Authorization", key().bearer()).header("X-Request-Id", "req-abc-123")
        .get("/api/v1/customers/1");
    r.then().statusCode(200).header("X-Request-Id", "req-abc-123").body("headers.x-request-id", equalTo("req-abc-123"));
    assertEquals(1, r.headers().getList("X-Request-Id").size());

    Response generated = given().header("Authorization", key().bearer()).header("X-Request-Id", "not sane \t" + "x".repeat(200))
        .get("/api/v1/customers/1");
    String id = generated.header("X-Request-Id");
    assertNotEquals(null, id);
    assertTrue(id.matches("[0-9a-f-]{36}"), id);
    assertEquals(id, generated.jsonPath().getString("headers.x-request-id"));

    given().get("/api/v1/customers").then().statusCode(401).header("X-Request-Id", org.hamcrest.Matchers.notNullValue());
  }

  /** Quarkus' upload limit (quarkus.http.limits.max-body-size, 4G) still holds for proxied requests. */
  @Test
  void refusesABodyOverTheUploadLimitBeforeReadingIt() throws Exception {
    try (java.net.Socket socket = new java.net.Socket(gateway.getHost(), gateway.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /api/v1/customers/imports HTTP/1.1\r\nHost: x\r\nAuthorization: "
          + key().bearer() + "\r\nContent-Type: text/csv\r\nContent-Length: 5000000000\r\n\r\nsome,rows\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
      assertEquals("HTTP/1.1 413", answer);
    }
  }

  @Test
  void platformKeyActsOnNoShop() {
    given().header("Authorization", PLATFORM).get("/api/v1/customers")
        .then().statusCode(403).contentType("application/problem+json")
        .body("detail", containsString("platform key acts on no shop"));
  }

  @Test
  void downServiceAnswers503FastWhileOtherRoutesWork() {
    long start = System.nanoTime();
    given().header("Authorization", key().bearer()).contentType(ContentType.JSON).body("{\"order_no\":\"1\"}")
        .post("/api/v1/orders")
        .then().statusCode(503).contentType("application/problem+json")
        .body("status", equalTo(503)).body("detail", containsString("order"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 2000, "503 took " + ms + " ms");

    given().header("Authorization", key().bearer()).get("/api/v1/customers").then().statusCode(200);
  }

  @Test
  void slowServiceAnswers504AfterItsTimeout() {
    long start = System.nanoTime();
    given().header("Authorization", key().bearer()).get("/api/v1/customers/slow")
        .then().statusCode(504).contentType("application/problem+json").body("status", equalTo(504));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= FakeUpstreams.CUSTOMER_RESPONSE_TIMEOUT_MS - 100 && ms < 10_000, "504 after " + ms + " ms");

    given().header("Authorization", key().bearer()).get("/api/v1/customers").then().statusCode(200);
  }

  @Test
  void statusTellsWhichServicesAreUp() {
    given().header("Authorization", key().bearer()).get("/api/v1/status")
        .then().statusCode(200)
        .body("status", equalTo("DEGRADED"))
        .body("services.find { it.name == 'customer' }.status", equalTo("UP"))
        .body("services.find { it.name == 'order' }.status", equalTo("DOWN"))
        .body("services.name", hasItems("customer", "order", "scoring", "campaign"));
  }

  /** Rough cost of minting one internal token (one per proxied request). */
  @Test
  void signsAnInternalTokenInAboutAMillisecond() {
    Caller caller = new Caller("k", "shop-x", Set.of("admin"));
    for (int i = 0; i < 200; i++) {
      signer.mint(caller);
    }
    int n = 1000;
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      signer.mint(caller);
    }
    double micros = (System.nanoTime() - start) / 1000.0 / n;
    Log.infof("internal token signing: %.0f µs per token", micros);
    assertTrue(micros < 20_000, "signing took " + micros + " µs");
    // a caller's token is reused (InternalTokenSignerTest: for how long); another caller gets its own
    String token = signer.token(caller).join();
    assertEquals(token, signer.token(caller).join());
    assertNotEquals(token, signer.token(new Caller("k2", "shop-x", Set.of("admin"))).join());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
