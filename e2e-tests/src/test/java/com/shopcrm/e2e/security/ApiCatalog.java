package com.shopcrm.e2e.security;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every public operation of the aggregated OpenAPI document ({@code GET /api/v1/openapi}), classified:
 * who may call it ({@link Access}, roles as the services' {@code @RolesAllowed} say, docs/SECURITY.md),
 * which service serves it, and a valid request body. An operation the document lists and this
 * catalog does not is a failure of every suite: a new endpoint gets classified before it ships.
 */
public final class ApiCatalog {

  /** Who may call an operation. */
  public enum Access {
    /** No key needed (the aggregated OpenAPI document). */
    PUBLIC,
    /** The platform key only: tenant keys get 403. */
    PLATFORM,
    /** The platform key, or a shop key with role admin acting on its own shop. */
    PLATFORM_OR_SHOP_ADMIN,
    /** A shop key with one of the roles; the platform key gets 403. */
    SHOP,
    /** Any valid key, platform or shop (the gateway's status page). */
    ANY_KEY
  }

  public static final Set<String> ALL_ROLES = Set.of("admin", "marketer", "agent", "analyst", "integration");
  static final Set<String> READERS = ALL_ROLES;
  static final Set<String> WRITERS = Set.of("admin", "marketer", "agent", "integration");
  static final Set<String> ADMIN = Set.of("admin");
  static final Set<String> ADMIN_INTEGRATION = Set.of("admin", "integration");
  static final Set<String> ADMIN_MARKETER = Set.of("admin", "marketer");
  static final Set<String> TICKET_WRITERS = Set.of("admin", "agent", "integration");
  static final Set<String> TICKET_STAFF = Set.of("admin", "agent");
  static final Set<String> COUPON_REDEEMERS = Set.of("admin", "marketer", "integration");
  static final Set<String> RULE_READERS = Set.of("admin", "marketer", "analyst");
  static final Set<String> KPI_READERS = Set.of("admin", "marketer", "agent", "analyst");

  /** One classified operation. {@code body}: a valid body for the given ids (null: the operation takes none). */
  public record Op(String method, String path, String service, Access access, Set<String> roles,
      String contentType, Function<Ids, Object> body, Set<String> query) {

    /** This operation with the query parameters the document gives it. */
    Op withQuery(Set<String> names) {
      return new Op(method, path, service, access, roles, contentType, body, Set.copyOf(names));
    }

    public String key() {
      return method + " " + path;
    }

    public boolean hasBody() {
      return contentType != null;
    }

    public boolean hasPathParams() {
      return path.contains("{");
    }

    public boolean isRead() {
      return method.equals("GET");
    }

    /** The path with every parameter replaced by the given ids' object of that kind. */
    public String pathFor(Ids ids) {
      return ids.resolve(path);
    }

    @Override
    public String toString() {
      return key();
    }
  }

  /** The objects a tenant holds, by kind, to fill path parameters and bodies. */
  public record Ids(String tenantId, String apiKeyId, long customer, long customer2, String externalId, long order,
      String orderNo, long ticket, long segment, long campaign, long trigger, String importJob, String scoringRun,
      String resync, String coupon, String tag) {

    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

    String resolve(String path) {
      Matcher m = PARAM.matcher(path);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String before = path.substring(0, m.start());
        m.appendReplacement(out, Matcher.quoteReplacement(valueFor(before, m.group(1))));
      }
      m.appendTail(out);
      return out.toString();
    }

    private String valueFor(String prefix, String param) {
      String p = prefix.replaceAll("\\{[a-z_]+}", "*");
      return switch (param) {
        case "tag" -> tag;
        case "code" -> coupon;
        case "service" -> "customer";
        case "customer_id" -> Long.toString(customer);
        case "id" -> switch (p) {
          case "/api/v1/admin/tenants/" -> tenantId;
          case "/api/v1/admin/api-keys/" -> apiKeyId;
          case "/api/v1/campaigns/" -> Long.toString(campaign);
          case "/api/v1/customers/tickets/" -> Long.toString(ticket);
          case "/api/v1/customers/" -> Long.toString(customer);
          case "/api/v1/orders/imports/" -> importJob;
          case "/api/v1/orders/" -> Long.toString(order);
          case "/api/v1/scoring/resync/" -> resync;
          case "/api/v1/scoring/runs/" -> scoringRun;
          case "/api/v1/segments/" -> Long.toString(segment);
          case "/api/v1/triggers/" -> Long.toString(trigger);
          default -> throw new AssertionError("no id kind for the path parameter after " + prefix);
        };
        default -> throw new AssertionError("no id kind for path parameter {" + param + "} after " + prefix);
      };
    }
  }

  private static final String JSON = "application/json";
  private static final Map<String, Op> OPS = new TreeMap<>();

  private static void op(String key, String service, Access access, Set<String> roles, Function<Ids, Object> body) {
    String[] parts = key.split(" ", 2);
    OPS.put(key, new Op(parts[0], parts[1], service, access, roles, body == null ? null : JSON, body, Set.of()));
  }

  private static void op(String key, String service, Set<String> roles) {
    op(key, service, Access.SHOP, roles, null);
  }

  private static void op(String key, String service, Set<String> roles, Function<Ids, Object> body) {
    op(key, service, Access.SHOP, roles, body);
  }

  static String now() {
    return OffsetDateTime.now(ZoneOffset.ofHours(8)).withNano(0).toString();
  }

  static String unique() {
    return Long.toString(System.nanoTime(), 36);
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Map<String, Object> customerBody(String externalId) {
    return map("external_id", externalId, "name", "Sec " + externalId, "phone", "1520000" + (1000 + Math.abs(externalId.hashCode() % 9000)),
        "email", externalId.toLowerCase() + "@example.com", "gender", "female", "birthday", "1990-05-17",
        "province", "浙江", "city", "杭州", "tags", List.of("sec"), "platform", "taobao");
  }

  static Map<String, Object> orderBody(String orderNo, String externalId) {
    return map("order_no", orderNo, "customer_external_id", externalId, "ordered_at", now(), "total_amount", 100,
        "status", "completed", "channel", "app",
        "items", List.of(map("sku", "SKU-1", "product_name", "茶", "category", "tea", "quantity", 1, "unit_price", 100)));
  }

  static Map<String, Object> orderEvent(Ids ids) {
    return map("event_id", "sec-evt-" + unique(), "type", "order.completed", "customer_id", ids.customer(),
        "order_no", ids.orderNo(), "occurred_at", now(), "payload", map("total_amount", 100, "status", "completed"));
  }

  static Map<String, Object> rule(Ids ids) {
    return map("field", "tags", "op", "contains", "value", ids.tag());
  }

  static Map<String, Object> campaignBody(Ids ids) {
    return map("name", "sec campaign " + unique(), "goal", "repurchase", "segment_id", ids.segment(),
        "channels", List.of("sms"),
        "variants", List.of(map("name", "a", "weight", 1, "message", map("sms", "{name} {coupon}"))),
        "control_pct", 0, "attribution_window_days", 30, "offer", map("type", "coupon", "amount", 10, "min_spend", 50));
  }

  static Map<String, Object> triggerBody(Ids ids) {
    return map("name", "sec trigger " + unique(), "kind", "birthday", "enabled", false, "days_before", 3,
        "channels", List.of("sms"), "message", map("sms", "生日快乐 {coupon}"),
        "offer", map("type", "coupon", "amount", 20, "min_spend", 100));
  }

  static Map<String, Object> ticketBody(Ids ids) {
    return map("customer_id", ids.customer(), "order_no", ids.orderNo(), "channel", "online_chat",
        "categories", List.of("consultation"), "priority", "normal", "subject", "sec ticket " + unique(),
        "description", "where is my parcel");
  }

  static {
    String gw = "gateway";
    op("GET /api/v1/openapi", gw, Access.PUBLIC, Set.of(), null);
    op("GET /api/v1/openapi/{service}", gw, Access.PUBLIC, Set.of(), null);
    op("GET /api/v1/status", gw, Access.ANY_KEY, READERS, null);
    op("GET /api/v1/admin/tenants", gw, Access.PLATFORM, Set.of(), null);
    op("POST /api/v1/admin/tenants", gw, Access.PLATFORM, Set.of(), ids -> map("id", "sec-" + unique(), "name", "Sec"));
    op("GET /api/v1/admin/tenants/{id}", gw, Access.PLATFORM_OR_SHOP_ADMIN, ADMIN, null);
    op("PUT /api/v1/admin/tenants/{id}/cors", gw, Access.PLATFORM_OR_SHOP_ADMIN, ADMIN,
        ids -> map("origins", List.of("https://shop.example")));
    op("PUT /api/v1/admin/tenants/{id}/rate-limits", gw, Access.PLATFORM, Set.of(),
        ids -> map("per_second", 5000, "key_per_second", 5000));
    op("GET /api/v1/admin/api-keys", gw, Access.PLATFORM_OR_SHOP_ADMIN, ADMIN, null);
    op("POST /api/v1/admin/api-keys", gw, Access.PLATFORM_OR_SHOP_ADMIN, ADMIN,
        ids -> map("tenant_id", ids.tenantId(), "roles", List.of("analyst"), "name", "sec"));
    op("DELETE /api/v1/admin/api-keys/{id}", gw, Access.PLATFORM_OR_SHOP_ADMIN, ADMIN, null);

    String cu = "customer-service";
    op("GET /api/v1/customers", cu, READERS);
    op("POST /api/v1/customers", cu, WRITERS, ids -> customerBody("sec-" + unique()));
    op("POST /api/v1/customers/batch", cu, WRITERS, ids -> map("customers", List.of(customerBody("secb-" + unique()))));
    op("POST /api/v1/customers/contacts", cu, ADMIN_INTEGRATION, ids -> map("customer_ids", List.of(ids.customer())));
    op("POST /api/v1/customers/events/batch", cu, WRITERS, ids -> map("events",
        List.of(map("customer_id", ids.customer(), "type", "view", "occurred_at", now(), "properties", map("sku", "SKU-1")))));
    op("GET /api/v1/customers/audience-feed", cu, ADMIN);
    op("POST /api/v1/customers/audience-feed/resync", cu, ADMIN);
    op("POST /api/v1/customers/membership/maintenance", cu, ADMIN, ids -> map("as_of", now()));
    op("POST /api/v1/customers/membership/order-events", cu, ADMIN_INTEGRATION, ApiCatalog::orderEvent);
    op("GET /api/v1/customers/membership/tiers", cu, READERS);
    op("PUT /api/v1/customers/membership/tiers", cu, ADMIN, ids -> map("period_days", 365, "grace_days", 30,
        "first_order_bonus", 10, "birthday_multiplier", 2,
        "tiers", List.of(map("code", "v1", "name", "会员", "min_spend", 0, "points_multiplier", 1,
            "birthday_coupon", false, "free_shipping", false))));
    op("POST /api/v1/customers/merge", cu, WRITERS, ids -> map("survivor_id", ids.customer(), "merged_id", ids.customer2()));
    op("GET /api/v1/customers/tags", cu, READERS);
    op("GET /api/v1/customers/tickets", cu, READERS);
    op("POST /api/v1/customers/tickets", cu, TICKET_WRITERS, ApiCatalog::ticketBody);
    op("GET /api/v1/customers/tickets/kpis", cu, KPI_READERS);
    op("GET /api/v1/customers/tickets/sla", cu, READERS);
    op("PUT /api/v1/customers/tickets/sla", cu, ADMIN, ids -> map("priorities",
        map("high", map("first_response_minutes", 30, "resolution_minutes", 480)), "categories", map()));
    op("POST /api/v1/customers/tickets/sla/scan", cu, ADMIN, ids -> map("as_of", now()));
    op("GET /api/v1/customers/tickets/{id}", cu, READERS);
    op("PATCH /api/v1/customers/tickets/{id}", cu, TICKET_STAFF, ids -> map("priority", "high"));
    op("POST /api/v1/customers/tickets/{id}/comments", cu, TICKET_WRITERS, ids -> map("body", "on its way", "public", true));
    op("POST /api/v1/customers/tickets/{id}/satisfaction", cu, TICKET_WRITERS, ids -> map("rating", 5, "comment", "ok"));
    op("POST /api/v1/customers/tickets/{id}/status", cu, TICKET_STAFF, ids -> map("status", "in_progress", "note", "looking"));
    op("GET /api/v1/customers/tickets/{id}/timeline", cu, READERS);
    op("GET /api/v1/customers/{id}", cu, READERS);
    op("PATCH /api/v1/customers/{id}", cu, WRITERS, ids -> map("city", "宁波"));
    op("DELETE /api/v1/customers/{id}", cu, ADMIN);
    op("GET /api/v1/customers/{id}/export", cu, TICKET_STAFF);
    op("POST /api/v1/customers/{id}/erase", cu, ADMIN);
    op("GET /api/v1/customers/{id}/erase", cu, TICKET_STAFF);
    op("GET /api/v1/customers/{id}/consent", cu, READERS);
    op("PUT /api/v1/customers/{id}/consent", cu, WRITERS, ids -> map("channel", "sms", "granted", false, "source", "回T退订"));
    op("GET /api/v1/customers/{id}/duplicates", cu, READERS);
    op("GET /api/v1/customers/{id}/events", cu, READERS);
    op("POST /api/v1/customers/{id}/events", cu, WRITERS, ids -> map("type", "view", "occurred_at", now(),
        "properties", map("sku", "SKU-1")));
    op("GET /api/v1/customers/{id}/membership", cu, READERS);
    op("GET /api/v1/customers/{id}/membership/history", cu, READERS);
    op("GET /api/v1/customers/{id}/points", cu, READERS);
    op("POST /api/v1/customers/{id}/points/adjust", cu, ADMIN, ids -> map("points", 100, "reason", "goodwill"));
    op("POST /api/v1/customers/{id}/points/redeem", cu, TICKET_WRITERS, ids -> map("points", 1, "reason", "gift"));
    op("POST /api/v1/customers/{id}/tags", cu, WRITERS, ids -> map("tags", List.of("sec-added")));
    op("DELETE /api/v1/customers/{id}/tags/{tag}", cu, WRITERS, null);

    String or = "order-service";
    op("GET /api/v1/analytics/sales", or, READERS);
    op("GET /api/v1/orders", or, READERS);
    op("POST /api/v1/orders", or, WRITERS, ids -> orderBody("SEC-" + unique(), ids.externalId()));
    op("POST /api/v1/orders/batch", or, WRITERS, ids -> map("orders", List.of(orderBody("SECB-" + unique(), ids.externalId()))));
    op("GET /api/v1/orders/events", or, READERS);
    op("GET /api/v1/orders/events/deliveries", or, ADMIN);
    op("POST /api/v1/orders/events/redeliver", or, ADMIN, ids -> map("subscriber", "membership", "from_seq", 1));
    op("GET /api/v1/orders/events/subscribers", or, ADMIN);
    OPS.put("POST /api/v1/orders/imports", new Op("POST", "/api/v1/orders/imports", or, Access.SHOP, WRITERS, "text/csv",
        ids -> "order_no,customer_external_id,ordered_at,total_amount\nSECI-" + unique() + "," + ids.externalId()
            + ",2026-01-02 10:00:00,88.00\n", Set.of()));
    op("GET /api/v1/orders/imports/{id}", or, READERS);
    op("GET /api/v1/orders/{id}", or, READERS);
    op("POST /api/v1/orders/{id}/refunds", or, WRITERS, ids -> map("amount", 10, "reason", "damaged", "type", "refund"));
    op("POST /api/v1/orders/{id}/reviews", or, WRITERS, ids -> map("rating", 5, "text", "好", "follow_up", false));
    op("POST /api/v1/orders/{id}/status", or, WRITERS, ids -> map("status", "completed"));

    String sc = "scoring-service";
    op("GET /api/v1/kpis/clv-distribution", sc, READERS);
    op("GET /api/v1/kpis/cohorts", sc, READERS);
    op("GET /api/v1/kpis/retention", sc, READERS);
    op("GET /api/v1/kpis/rfm-distribution", sc, READERS);
    op("POST /api/v1/recommendations/refresh", sc, ADMIN_MARKETER);
    op("POST /api/v1/recommendations/picks", sc, COUPON_REDEEMERS, ids -> map("customer_ids", List.of(ids.customer()),
        "products", List.of(map("sku", "SEC-NEW-1", "name", "新品", "category", "tea")), "limit", 1));
    op("GET /api/v1/recommendations/{customer_id}", sc, READERS);
    op("GET /api/v1/scores/{customer_id}", sc, READERS);
    op("POST /api/v1/scoring/order-events", sc, ADMIN_INTEGRATION, ApiCatalog::orderEvent);
    op("POST /api/v1/scoring/resync", sc, ADMIN, ids -> map("after_seq", 0));
    op("GET /api/v1/scoring/resync/{id}", sc, READERS);
    op("POST /api/v1/scoring/runs", sc, ADMIN_MARKETER, ids -> map("time_unit", "days"));
    op("GET /api/v1/scoring/runs/{id}", sc, READERS);

    String ca = "campaign-service";
    op("GET /api/v1/campaigns", ca, READERS);
    op("POST /api/v1/campaigns", ca, ADMIN_MARKETER, ApiCatalog::campaignBody);
    op("POST /api/v1/campaigns/order-events", ca, ADMIN_INTEGRATION, ApiCatalog::orderEvent);
    op("GET /api/v1/campaigns/{id}", ca, READERS);
    op("PATCH /api/v1/campaigns/{id}", ca, ADMIN_MARKETER, ids -> map("name", "renamed " + unique()));
    op("POST /api/v1/campaigns/{id}/launch", ca, ADMIN_MARKETER);
    op("POST /api/v1/campaigns/{id}/stop", ca, ADMIN_MARKETER);
    op("GET /api/v1/campaigns/{id}/runs", ca, READERS);
    op("GET /api/v1/campaigns/{id}/messages", ca, READERS);
    op("GET /api/v1/campaigns/{id}/report", ca, READERS);
    op("GET /api/v1/coupons/{code}", ca, READERS);
    op("POST /api/v1/coupons/{code}/redeem", ca, COUPON_REDEEMERS, ids -> map("customer_id", ids.customer(),
        "order_no", "SECR-" + unique(), "order_amount", 100));
    op("GET /api/v1/segments", ca, READERS);
    op("POST /api/v1/segments", ca, ADMIN_MARKETER, ids -> map("name", "sec segment " + unique(), "rule", rule(ids)));
    op("POST /api/v1/segments/events/sync", ca, ADMIN_INTEGRATION, ids -> map("events",
        List.of(map("customer_id", ids.customer(), "type", "cart_abandon", "occurred_at", now()))));
    op("POST /api/v1/segments/preview", ca, RULE_READERS, ids -> map("rule", rule(ids)));
    op("POST /api/v1/segments/profiles/sync", ca, ADMIN_INTEGRATION, ids -> map("profiles",
        List.of(map("customer_id", ids.customer(), "city", "杭州"))));
    op("POST /api/v1/segments/validate", ca, RULE_READERS, ids -> map("rule", rule(ids)));
    op("GET /api/v1/segments/{id}", ca, READERS);
    op("PUT /api/v1/segments/{id}", ca, ADMIN_MARKETER, ids -> map("name", "sec segment " + unique(), "rule", rule(ids)));
    op("PATCH /api/v1/segments/{id}", ca, ADMIN_MARKETER, ids -> map("description", "patched"));
    op("DELETE /api/v1/segments/{id}", ca, ADMIN_MARKETER);
    op("GET /api/v1/segments/{id}/count", ca, READERS);
    op("GET /api/v1/segments/{id}/members", ca, READERS);
    op("GET /api/v1/segments/{id}/preview", ca, READERS);
    op("POST /api/v1/segments/{id}/refresh", ca, ADMIN_MARKETER);
    op("GET /api/v1/triggers", ca, READERS);
    op("POST /api/v1/triggers", ca, ADMIN_MARKETER, ApiCatalog::triggerBody);
    op("GET /api/v1/triggers/{id}", ca, READERS);
    op("PATCH /api/v1/triggers/{id}", ca, ADMIN_MARKETER, ids -> map("name", "renamed " + unique()));
    op("GET /api/v1/triggers/{id}/firings", ca, READERS);
  }

  private ApiCatalog() {
  }

  /**
   * The document's operations, each classified; fails listing every operation the catalog cannot
   * classify (a new endpoint) and every catalogued one the document no longer has.
   */
  public static List<Op> classify(String openApiJson) {
    var parsed = new OpenAPIV3Parser().readContents(openApiJson);
    OpenAPI api = parsed.getOpenAPI();
    if (api == null || api.getPaths() == null) {
      throw new AssertionError("the aggregated OpenAPI document does not parse: " + parsed.getMessages());
    }
    List<Op> ops = new ArrayList<>();
    Set<String> unclassified = new TreeSet<>();
    Set<String> seen = new TreeSet<>();
    for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
      for (Map.Entry<PathItem.HttpMethod, Operation> operation : path.getValue().readOperationsMap().entrySet()) {
        String key = operation.getKey() + " " + path.getKey();
        seen.add(key);
        Op op = OPS.get(key);
        if (op == null) {
          unclassified.add(key);
          continue;
        }
        var body = operation.getValue().getRequestBody();
        boolean documentedBody = body != null && body.getContent() != null && !body.getContent().isEmpty();
        if (documentedBody != op.hasBody()
            || documentedBody && !body.getContent().containsKey(op.contentType())) {
          unclassified.add(key + " (its request body changed: " + (documentedBody ? body.getContent().keySet() : "none")
              + ")");
          continue;
        }
        Set<String> query = new TreeSet<>();
        for (var p : operation.getValue().getParameters() == null ? List.<io.swagger.v3.oas.models.parameters.Parameter>of()
            : operation.getValue().getParameters()) {
          if ("query".equals(p.getIn())) {
            query.add(p.getName());
          }
        }
        ops.add(op.withQuery(query));
      }
    }
    Set<String> gone = new TreeSet<>(OPS.keySet());
    gone.removeAll(seen);
    if (!unclassified.isEmpty() || !gone.isEmpty()) {
      throw new AssertionError("The security suites cannot classify " + unclassified.size() + " of the " + seen.size()
          + " operations of GET /api/v1/openapi: " + unclassified + (gone.isEmpty() ? "" : "; and the catalog lists operations the "
          + "document no longer has: " + gone) + ". Add each to e2e-tests ApiCatalog: service, who may call it "
          + "(its @RolesAllowed), and a valid body.");
    }
    return ops;
  }

  /** For the report: operations per service. */
  public static Map<String, Long> perService(List<Op> ops) {
    Map<String, Long> counts = new TreeMap<>();
    for (Op op : ops) {
      counts.merge(op.service(), 1L, Long::sum);
    }
    return counts;
  }
}
