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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cross-tenant matrix (issue #8): shop A is seeded with one real object of every kind; then
 * every operation of the aggregated OpenAPI document is called with shop B's admin key, A's ids in
 * the path, in the query parameters that name objects, and in the bodies. No answer may reveal A's
 * data (its canary string), every call naming one of A's objects in its path answers 404, and A's
 * data reads the same through A's key afterwards.
 */
@ExtendWith(PlatformExtension.class)
class CrossTenantMatrixTest {

  /** Query parameters that name another object: filled with A's. */
  private static final List<String> ID_QUERY = List.of("customer_id", "tenant_id", "customer_external_id",
      "coupon_code", "q", "tag", "order_no");

  private final SecurityFixture fixture;

  CrossTenantMatrixTest(E2ePlatform platform) {
    this.fixture = SecurityFixture.of(platform);
  }

  private record Probe(Op op, Call call, String why) {
  }

  @Test
  void secondShopNeitherSeesNorChangesTheFirstShopsData() {
    Tenant a = fixture.newTenant("xa");
    Tenant b = fixture.newTenant("xb");
    Ids idsA = fixture.seed(a, true);
    fixture.seed(b, false);
    Map<String, String> before = settledSnapshot(a, idsA);

    List<Probe> probes = new ArrayList<>();
    for (Op op : fixture.ops()) {
      probes.addAll(probesFor(op, idsA, b));
    }
    // reads first, while B holds nothing but its own seed; then the writes, whose answers may echo what
    // any of B's writes carried (B may create its own order for an external id A also uses)
    List<Probe> reads = probes.stream().filter(p -> p.op().isRead()).toList();
    List<Probe> writes = probes.stream().filter(p -> !p.op().isRead()).toList();
    probes = new ArrayList<>(reads);
    probes.addAll(writes);
    List<Answer> answers = new ArrayList<>(Http.parallel(reads, p -> Http.send(p.call())));
    answers.addAll(Http.parallel(writes, p -> Http.send(p.call())));
    List<String> writtenByB = new ArrayList<>();
    for (Probe p : writes) {
      writtenByB.addAll(strings(p.call()));
    }

    List<String> leaks = new ArrayList<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    String canary = a.canary().toLowerCase(Locale.ROOT);
    for (int i = 0; i < probes.size(); i++) {
      Probe p = probes.get(i);
      Answer r = answers.get(i);
      statuses.merge(r.status(), 1, Integer::sum);
      if (r.status() >= 500) {
        leaks.add("5xx " + p.call() + " -> " + r);
      } else if (without(r.body(), p.op().isRead() ? List.of() : writtenByB).toLowerCase(Locale.ROOT).contains(canary)) {
        leaks.add("REVEALS A's data: " + p.call() + " -> " + r);
      } else if (p.op().hasPathParams() && p.op().access() != Access.PUBLIC && r.status() != 404) {
        leaks.add("not 404 for A's object in the path: " + p.call() + " -> " + r);
      } else if (p.why().equals("must-refuse") && r.is2xx()) {
        leaks.add("accepted A's object in the body: " + p.call() + " -> " + r);
      }
    }
    Map<String, String> after = snapshot(a, idsA);
    List<String> changed = new ArrayList<>();
    before.forEach((path, body) -> {
      if (!body.equals(after.get(path))) {
        changed.add(path + "\n  before " + body + "\n  after  " + after.get(path));
      }
    });
    System.out.printf("Cross-tenant matrix: %d operations (%s), %d probes with shop B's key against shop A's ids;"
            + " statuses %s; %d leaks; %d of A's resources re-read unchanged%n", fixture.ops().size(),
        ApiCatalog.perService(fixture.ops()), probes.size(), statuses, leaks.size(), before.size() - changed.size());
    assertTrue(leaks.isEmpty(), leaks.size() + " leak(s):\n" + String.join("\n", leaks));
    assertTrue(changed.isEmpty(), "shop A's data changed:\n" + String.join("\n", changed));
    // A's own key still sees its objects (the snapshot did not just record 404s)
    assertEquals(200, fixture.send("GET", "/api/v1/customers/" + idsA.customer(), a.adminKey(), null).status());
    assertTrue(before.values().stream().allMatch(s -> s.startsWith("200 ")), before.toString());
  }

  private List<Probe> probesFor(Op op, Ids idsA, Tenant b) {
    List<Probe> probes = new ArrayList<>();
    String path = op.pathFor(idsA);
    Object body = op.hasBody() ? op.body().apply(idsA) : null;
    if (op.hasPathParams()) {
      probes.add(new Probe(op, fixture.call(op.method(), path, b.adminKey(), body, op.contentType()), "path"));
      return probes;
    }
    if (op.isRead()) {
      probes.add(new Probe(op, fixture.call("GET", path, b.adminKey(), null, null), "list"));
      String query = query(op, idsA);
      if (!query.isEmpty()) {
        probes.add(new Probe(op, fixture.call("GET", path + "?" + query, b.adminKey(), null, null), "query"));
      }
      return probes;
    }
    // a write without ids in its path: A's ids in the body
    boolean refers = body != null && Http.toJson(body).matches(".*\"(customer_id|survivor_id|merged_id|segment_id|tenant_id)\".*");
    String why = mustRefuse(op) ? "must-refuse" : refers ? "body" : "write";
    probes.add(new Probe(op, fixture.call(op.method(), path, b.adminKey(), body, op.contentType()), why));
    return probes;
  }

  /** The strings in a JSON request body. */
  private static List<String> strings(Call call) {
    List<String> values = new ArrayList<>();
    if (call.body() != null && "application/json".equals(call.contentType())) {
      try {
        collectStrings(Http.JSON.readTree(call.body()), values);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return values;
  }

  /**
   * The answer without the given strings (what B's own writes carried), longest first and none
   * shorter than 4 characters: stripping a variant named "a" first would cut "tag-…" apart.
   */
  private static String without(String answer, List<String> strings) {
    String stripped = answer == null ? "" : answer;
    List<String> longestFirst = strings.stream().filter(s -> s.length() >= 4).distinct()
        .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
    for (String s : longestFirst) {
      stripped = stripped.replace(s, "");
    }
    return stripped;
  }

  private static void collectStrings(com.fasterxml.jackson.databind.JsonNode node, List<String> into) {
    if (node.isTextual()) {
      into.add(node.asText());
    }
    node.forEach(child -> collectStrings(child, into));
  }

  /** Writes whose body names one of A's objects that must not be accepted from B at all. */
  private static boolean mustRefuse(Op op) {
    return List.of("POST /api/v1/customers/merge", "POST /api/v1/customers/tickets", "POST /api/v1/campaigns",
        "POST /api/v1/admin/api-keys", "POST /api/v1/admin/tenants").contains(op.key());
  }

  private String query(Op op, Ids ids) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("customer_id", Long.toString(ids.customer()));
    values.put("tenant_id", ids.tenantId());
    values.put("customer_external_id", ids.externalId());
    values.put("coupon_code", ids.coupon());
    values.put("q", ids.tag().substring(4));
    values.put("tag", ids.tag());
    values.put("order_no", ids.orderNo());
    StringBuilder q = new StringBuilder("limit=1000");
    boolean any = false;
    for (String name : ID_QUERY) {
      if (op.query().contains(name)) {
        q.append('&').append(name).append('=').append(URLEncoder.encode(values.get(name), StandardCharsets.UTF_8));
        any = true;
      }
    }
    return any ? (op.query().contains("limit") ? q.toString() : q.substring("limit=1000&".length())) : "";
  }

  /** A's objects as A's key and the platform key read them: path → "status body". */
  private Map<String, String> snapshot(Tenant a, Ids ids) {
    List<String> paths = List.of(
        "/api/v1/customers/" + ids.customer(), "/api/v1/customers/" + ids.customer2(),
        "/api/v1/customers/" + ids.customer() + "/consent", "/api/v1/customers/" + ids.customer() + "/membership",
        "/api/v1/customers/" + ids.customer() + "/points", "/api/v1/customers/" + ids.customer() + "/events",
        "/api/v1/customers/tickets/" + ids.ticket(), "/api/v1/customers/tickets/" + ids.ticket() + "/timeline",
        "/api/v1/customers/membership/tiers", "/api/v1/customers/tickets/sla",
        "/api/v1/orders/" + ids.order(), "/api/v1/orders?customer_id=" + ids.customer(),
        "/api/v1/segments/" + ids.segment(), "/api/v1/campaigns/" + ids.campaign(),
        "/api/v1/triggers/" + ids.trigger(), "/api/v1/coupons/" + ids.coupon(),
        "/api/v1/orders/imports/" + ids.importJob(), "/api/v1/scoring/runs/" + ids.scoringRun());
    Map<String, String> snapshot = new TreeMap<>();
    for (String path : paths) {
      Answer r = fixture.send("GET", path, a.adminKey(), null);
      snapshot.put(path, r.status() + " " + r.body());
    }
    for (String path : List.of("/api/v1/admin/tenants/" + a.id(), "/api/v1/admin/api-keys?tenant_id=" + a.id())) {
      Answer r = fixture.send("GET", path, E2ePlatform.ADMIN_KEY, null);
      snapshot.put(path, r.status() + " " + r.body());
    }
    return snapshot;
  }

  /** The snapshot once A's background work (scoring run, import, coupon dispatch, order events) has settled. */
  private Map<String, String> settledSnapshot(Tenant a, Ids ids) {
    Map<String, String> last = snapshot(a, ids);
    for (int i = 0; i < 40; i++) {
      SecurityFixture.sleep(1000);
      Map<String, String> now = snapshot(a, ids);
      if (now.equals(last) && !now.get("/api/v1/scoring/runs/" + ids.scoringRun()).contains("\"running\"")
          && !now.get("/api/v1/scoring/runs/" + ids.scoringRun()).contains("\"queued\"")) {
        return now;
      }
      last = now;
    }
    return last;
  }
}
