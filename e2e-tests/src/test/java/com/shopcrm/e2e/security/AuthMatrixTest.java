package com.shopcrm.e2e.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.e2e.E2ePlatform;
import com.shopcrm.e2e.PlatformExtension;
import com.shopcrm.e2e.security.ApiCatalog.Access;
import com.shopcrm.e2e.security.ApiCatalog.Ids;
import com.shopcrm.e2e.security.ApiCatalog.Op;
import com.shopcrm.e2e.security.Http.Answer;
import com.shopcrm.e2e.security.Http.Call;
import com.shopcrm.e2e.security.SecurityFixture.Tenant;
import com.shopcrm.launcher.ServiceSpec;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The auth matrix (issue #8): every operation of the aggregated OpenAPI document, through the
 * gateway, without a key, with malformed, unknown, tampered and revoked keys (401), with each role
 * the operation does not allow and with the platform key where it acts on no shop (403), always as
 * problem+json; and every backend operation on its service's own port without an internal token,
 * with a forged, expired, unsigned, wrong-issuer or wrong-audience one (401).
 */
@ExtendWith(PlatformExtension.class)
class AuthMatrixTest {

  private static final String NO_SUCH_UUID = "00000000-0000-0000-0000-000000000000";

  private final SecurityFixture fixture;

  AuthMatrixTest(E2ePlatform platform) {
    this.fixture = SecurityFixture.of(platform);
  }

  private record Check(Op op, Call call, String what, Predicate<Answer> ok, String expected) {
  }

  @Test
  void everyOperationAnswers401WithoutAValidKeyAnd403ForAWrongRole() {
    Tenant w = fixture.newTenant("auth");
    Map<String, Object> revoked = fixture.platform().newKey(w.id(), "admin");
    fixture.expect(204, "DELETE", "/api/v1/admin/api-keys/" + revoked.get("id"), E2ePlatform.ADMIN_KEY, null);
    // ids no tenant holds, except the tenant itself: an allowed caller gets 400/404, never 401/403
    Ids ids = new Ids(w.id(), NO_SUCH_UUID, 987654321, 987654322, "ext-none", 987654321, "ORD-none", 987654321,
        987654321, 987654321, 987654321, "987654321", NO_SUCH_UUID, NO_SUCH_UUID, "NO-SUCH-COUPON", "none");

    Map<String, String> badCredentials = new LinkedHashMap<>();
    badCredentials.put("no Authorization", null);
    badCredentials.put("Bearer without a key", "Bearer");
    badCredentials.put("Bearer blank", "Bearer    ");
    badCredentials.put("Basic credentials", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)));
    badCredentials.put("not a key", "Bearer not-a-key");
    badCredentials.put("unknown well-formed key", "Bearer crm_" + SecurityFixture.random(43));
    badCredentials.put("tampered key", "Bearer " + w.adminKey().substring(0, w.adminKey().length() - 1) + "_");
    badCredentials.put("another scheme", "Token " + w.adminKey());
    badCredentials.put("revoked key", "Bearer " + revoked.get("key"));

    List<Check> checks = new ArrayList<>();
    for (Op op : fixture.ops()) {
      if (op.access() == Access.PUBLIC) {
        continue;
      }
      String path = op.pathFor(ids);
      Object body = !op.hasBody() ? null : op.service().equals("gateway") ? op.body().apply(ids)
          : op.contentType().equals("text/csv") ? "x" : "{}";
      badCredentials.forEach((what, header) -> {
        Call call = fixture.call(op.method(), path, null, body, op.contentType());
        if (header != null) {
          call = call.withHeaders(Map.of("Authorization", header));
        }
        checks.add(new Check(op, call, what, a -> a.status() == 401 && a.isProblem()
            && String.valueOf(a.header("WWW-Authenticate")).startsWith("Bearer"), "401 problem+json, WWW-Authenticate: Bearer"));
      });
      for (String role : ApiCatalog.ALL_ROLES) {
        Call call = fixture.call(op.method(), path, w.roleKeys().get(role), body, op.contentType());
        boolean allowed = op.roles().contains(role) && op.access() != Access.PLATFORM;
        checks.add(allowed
            ? new Check(op, call, "role " + role, a -> a.status() != 401 && a.status() != 403 && a.status() < 500,
                "allowed: neither 401/403 nor 5xx")
            : new Check(op, call, "role " + role, a -> a.status() == 403 && a.isProblem(), "403 problem+json"));
      }
      Call platformCall = fixture.call(op.method(), path, E2ePlatform.ADMIN_KEY, body, op.contentType());
      checks.add(op.access() == Access.SHOP
          ? new Check(op, platformCall, "platform key on shop data", a -> a.status() == 403 && a.isProblem(),
              "403 problem+json")
          : new Check(op, platformCall, "platform key", a -> a.status() != 401 && a.status() != 403 && a.status() < 500,
              "allowed: neither 401/403 nor 5xx"));
    }
    report("Auth matrix (gateway)", checks);
  }

  @Test
  void servicePortsRefuseCallsWithoutAValidInternalToken() {
    Tenant w = fixture.newTenant("direct");
    PrivateKey platformKey = Tokens.platformKey(fixture.platform().platform().config().stateDir()
        .resolve("keys").resolve("privateKey.pem"));
    PrivateKey forged = Tokens.forgedKey();
    List<String> roles = List.of("admin");

    // the control: a token made like the gateway's is accepted, so the refusals below are about the token
    Map<String, Object> good = Tokens.claims(w.id(), roles);
    Answer control = Http.send(new Call("GET", ServiceSpec.CUSTOMER.port(fixture.gatewayPort()), "/api/v1/customers",
        Map.of("Authorization", "Bearer " + Tokens.sign(good, platformKey), "Accept", "application/json"), null, null));
    assertEquals(200, control.status(), control.toString());

    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("no token", null);
    tokens.put("not a JWT", "Bearer not-a-jwt");
    tokens.put("the client's API key", "Bearer " + w.adminKey());
    tokens.put("forged signature", "Bearer " + Tokens.sign(Tokens.claims(w.id(), roles), forged));
    Map<String, Object> expired = Tokens.claims(w.id(), roles);
    expired.put("iat", ((Long) expired.get("iat")) - 3600);
    expired.put("exp", ((Long) expired.get("iat")) + 60);
    tokens.put("expired", "Bearer " + Tokens.sign(expired, platformKey));
    Map<String, Object> issuer = Tokens.claims(w.id(), roles);
    issuer.put("iss", "someone-else");
    tokens.put("wrong issuer", "Bearer " + Tokens.sign(issuer, platformKey));
    Map<String, Object> audience = Tokens.claims(w.id(), roles);
    audience.put("aud", "another-platform");
    tokens.put("wrong audience", "Bearer " + Tokens.sign(audience, platformKey));
    tokens.put("unsigned (alg none)", "Bearer " + Tokens.unsigned(Tokens.claims(w.id(), roles)));

    Ids ids = new Ids(w.id(), NO_SUCH_UUID, 987654321, 987654322, "ext-none", 987654321, "ORD-none", 987654321,
        987654321, 987654321, 987654321, "987654321", NO_SUCH_UUID, NO_SUCH_UUID, "NO-SUCH-COUPON", "none");
    List<Check> checks = new ArrayList<>();
    for (Op op : fixture.ops()) {
      if (op.service().equals("gateway")) {
        continue;
      }
      int port = ServiceSpec.byName(op.service()).orElseThrow().port(fixture.gatewayPort());
      Object body = !op.hasBody() ? null : op.contentType().equals("text/csv") ? "x" : "{}";
      tokens.forEach((what, header) -> {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (header != null) {
          headers.put("Authorization", header);
        }
        byte[] bytes = body == null ? null : Http.utf8((String) body);
        checks.add(new Check(op, new Call(op.method(), port, op.pathFor(ids), headers, bytes,
            bytes == null ? null : op.contentType()), what, a -> a.status() == 401 && a.isProblem(), "401 problem+json"));
      });
    }
    report("Auth matrix (services' own ports)", checks);
  }

  private void report(String title, List<Check> checks) {
    List<Answer> answers = Http.parallel(checks, c -> Http.send(c.call()));
    List<String> failures = new ArrayList<>();
    Map<String, Integer> byWhat = new TreeMap<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < checks.size(); i++) {
      Check c = checks.get(i);
      Answer a = answers.get(i);
      statuses.merge(a.status(), 1, Integer::sum);
      byWhat.merge(c.what().startsWith("role ") ? "roles" : c.what(), 1, Integer::sum);
      if (!c.ok().test(a)) {
        failures.add(c.op() + " [" + c.what() + "] expected " + c.expected() + ", got " + a);
      }
    }
    System.out.printf("%s: %d operations, %d checks %s; statuses %s; %d failures%n", title,
        checks.stream().map(Check::op).distinct().count(), checks.size(), byWhat, statuses, failures.size());
    assertTrue(failures.isEmpty(), failures.size() + " failure(s):\n" + String.join("\n", failures));
  }
}
