package com.shopcrm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.launcher.ServiceProcess;
import com.shopcrm.launcher.ServiceSpec;
import com.shopcrm.testing.TestDatabase;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Personal-data rights through the gateway on the real platform (docs/PRIVACY.md): a customer with
 * orders, a review, scores and a campaign message; the export holds data from every service; with
 * campaign-service stopped the erasure answers 202 pending, and completes once it is started again;
 * then no service holds the customer's name, phone, e-mail, address or platform id (every table of
 * every service's database is searched), while the orders keep their amounts, and another customer
 * keeps everything.
 */
@ExtendWith(PlatformExtension.class)
class PersonalDataRightsTest {

  private static final String NAME = "隐私张三";
  private static final String PHONE = "15299990001";
  private static final String EMAIL = "pdr.zhang@example.com";
  private static final String ADDRESS = "文一西路隐私小区";

  private final E2ePlatform platform;

  PersonalDataRightsTest(E2ePlatform platform) {
    this.platform = platform;
  }

  @Test
  void exportHoldsEveryServiceAndEraseSurvivesAnOutageLeavingNoPersonalData() {
    E2ePlatform.TenantKey shop = platform.newTenant("privacy");
    String buyer = "pdr-buyer-" + shop.tenantId().substring(shop.tenantId().length() - 6);
    long id = platform.as(shop).body(Map.of("external_id", buyer, "name", NAME, "phone", PHONE, "email", EMAIL,
            "province", "浙江省", "city", ADDRESS, "tags", List.of("pdr")))
        .post("/api/v1/customers").then().statusCode(201).extract().jsonPath().getLong("id");
    long keeper = platform.as(shop).body(Map.of("external_id", "pdr-keeper", "name", "保留李四",
            "phone", "15299990002"))
        .post("/api/v1/customers").then().statusCode(201).extract().jsonPath().getLong("id");
    platform.as(shop).body(Map.of("type", "view", "properties", Map.of("sku", "TEA-1")))
        .post("/api/v1/customers/{id}/events", id).then().statusCode(201);

    long first = order(shop, "PDR-1", buyer, "188.00", NAME, PHONE, "2026-09-10T10:00:00+08:00");
    order(shop, "PDR-2", buyer, "99.00", NAME, PHONE, "2026-10-12T10:00:00+08:00");
    long kept = order(shop, "PDR-3", "pdr-keeper", "50.00", "保留李四", "15299990002", "2026-10-01T10:00:00+08:00");
    platform.as(shop).body(Map.of("rating", 2, "text", NAME + "：送到" + ADDRESS + "太慢"))
        .post("/api/v1/orders/{id}/reviews", first).then().statusCode(201);

    // scores: order events reach scoring-service, then a full run
    platform.await("the customer's score", () -> platform.as(shop).get("/api/v1/scores/{id}", id), s -> true, 60_000);
    String run = platform.as(shop).body(Map.of()).post("/api/v1/scoring/runs").then().statusCode(202)
        .extract().jsonPath().getString("id");
    platform.await("scoring run completed", () -> platform.as(shop).get("/api/v1/scoring/runs/{id}", run),
        r -> "completed".equals(r.getString("status")), 60_000);

    // a campaign message personalised with the name
    long segment = platform.as(shop).body(Map.of("name", "pdr", "rule",
            Map.of("field", "tags", "op", "contains", "value", "pdr")))
        .post("/api/v1/segments").then().statusCode(201).extract().jsonPath().getLong("id");
    platform.await("the read model holds the customer", () -> platform.as(shop).get("/api/v1/segments/{id}/count", segment),
        c -> c.getLong("count") == 1, 60_000);
    long campaign = platform.as(shop).body(Map.of("name", "pdr", "segment_id", segment, "channels", List.of("sms"),
            "variants", List.of(Map.of("name", "a", "weight", 1, "message", Map.of("sms", "{name}，新品上市"))),
            "control_pct", 0, "attribution_window_days", 30))
        .post("/api/v1/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
    platform.as(shop).post("/api/v1/campaigns/{id}/launch", campaign).then().statusCode(202);
    platform.await("the message in the local sink", () -> platform.as(shop).get("/api/v1/campaigns/{id}/messages", campaign),
        m -> m.getList("items").size() == 1 && m.getString("items[0].body").startsWith(NAME), 60_000);

    // the export: data from every service
    JsonPath export = platform.as(shop).get("/api/v1/customers/{id}/export", id).then().statusCode(200)
        .extract().jsonPath();
    assertEquals(NAME, export.getString("customer_service.profile.name"));
    assertEquals(PHONE, export.getString("customer_service.profile.phone"));
    assertEquals(1, export.getList("customer_service.events").size());
    assertEquals(List.of("PDR-1", "PDR-2"), export.getList("order_service.orders.order_no"));
    assertEquals(NAME + "：送到" + ADDRESS + "太慢", export.getString("order_service.orders[0].reviews[0].text"));
    assertEquals(1, export.getList("scoring_service.scores").size());
    assertEquals(2, export.getList("scoring_service.purchase_facts").size());
    assertEquals(NAME, export.getString("campaign_service.audience_profiles[0].name"));
    assertTrue(export.getString("campaign_service.campaign_messages[0].body").startsWith(NAME));
    String analystKey = (String) platform.newKey(shop.tenantId(), "analyst").get("key");
    platform.gateway().header("Authorization", "Bearer " + analystKey)
        .get("/api/v1/customers/{id}/export", id).then().statusCode(403);
    E2ePlatform.TenantKey other = platform.newTenant("privacy-other");
    platform.as(other).get("/api/v1/customers/{id}/export", id).then().statusCode(404);
    platform.as(other).post("/api/v1/customers/{id}/erase", id).then().statusCode(404);

    // the search below finds the customer in every service before the erasure
    for (ServiceSpec service : ServiceSpec.BACKENDS) {
      assertFalse(tablesHolding(service, shop.tenantId(), List.of(NAME, PHONE, EMAIL, ADDRESS, buyer)).isEmpty(),
          service.name() + " holds the customer before the erasure");
    }

    // campaign-service down during the erasure: 202 pending, the others acknowledge
    ServiceProcess campaignService = platform.platform().process(ServiceSpec.CAMPAIGN);
    ServiceProcess.stopAll(List.of(campaignService.running().orElseThrow()), Duration.ofSeconds(30));
    campaignService.pidFile().delete();
    try {
      JsonPath pending = platform.as(shop).post("/api/v1/customers/{id}/erase", id).then().statusCode(202)
          .extract().jsonPath();
      assertEquals("pending", pending.getString("status"));
      platform.await("order- and scoring-service acknowledged, campaign-service pending",
          () -> platform.as(shop).get("/api/v1/customers/{id}/erase", id),
          e -> e.getList("services.status").equals(List.of("completed", "completed", "completed", "pending"))
              && e.getInt("services[3].attempts") >= 1, 60_000);
      platform.as(shop).post("/api/v1/customers/{id}/erase", id).then().statusCode(202)
          .body("requested_at", org.hamcrest.Matchers.equalTo(pending.getString("requested_at")));
    } finally {
      platform.platform().up(); // starts what is not running: campaign-service
    }
    JsonPath done = platform.await("erasure completed after campaign-service is back",
        () -> platform.as(shop).get("/api/v1/customers/{id}/erase", id),
        e -> "completed".equals(e.getString("status")), 120_000);
    assertTrue(done.getInt("services[3].attempts") >= 2, done.prettify());
    platform.as(shop).post("/api/v1/customers/{id}/erase", id).then().statusCode(200);

    // through the gateway: gone, pseudonymised, amounts kept
    platform.as(shop).get("/api/v1/customers/{id}", id).then().statusCode(404);
    platform.as(shop).queryParam("q", PHONE).get("/api/v1/customers").then().statusCode(200)
        .body("items", org.hamcrest.Matchers.hasSize(0));
    JsonPath order = platform.as(shop).get("/api/v1/orders/{id}", first).then().statusCode(200).extract().jsonPath();
    assertEquals(0, new BigDecimal("188.00").compareTo(new BigDecimal(order.getString("total_amount"))));
    for (String field : List.of("customer_name", "customer_phone", "customer_email", "province", "city",
        "customer_external_id", "customer_id")) {
      assertNull(order.get(field), field + " in " + order.prettify());
    }
    assertNull(order.get("reviews[0].text"));
    platform.as(shop).get("/api/v1/scores/{id}", id).then().statusCode(404);
    platform.await("the segment no longer counts the customer", () -> platform.as(shop).get("/api/v1/segments/{id}/count",
        segment), c -> c.getLong("count") == 0, 30_000);
    JsonPath messages = platform.as(shop).get("/api/v1/campaigns/{id}/messages", campaign).then().statusCode(200)
        .extract().jsonPath();
    assertFalse(messages.getString("items[0].body").contains(NAME), messages.prettify());

    // in every service's database: no table holds the name, phone, e-mail, address or platform id
    List<String> pii = List.of(NAME, PHONE, EMAIL, ADDRESS, buyer);
    for (ServiceSpec service : ServiceSpec.BACKENDS) {
      List<String> found = tablesHolding(service, shop.tenantId(), pii);
      assertTrue(found.isEmpty(), service.name() + " still holds personal data in " + found);
    }
    assertEquals(0, new BigDecimal("287.00").compareTo(new BigDecimal(text(ServiceSpec.ORDER,
        "SELECT sum(total_amount)::text FROM orders WHERE tenant_id = ? AND order_no IN ('PDR-1', 'PDR-2')",
        shop.tenantId()))), "the erased customer's order amounts are kept");
    // the other customer keeps everything
    platform.as(shop).get("/api/v1/customers/{id}", keeper).then().statusCode(200)
        .body("name", org.hamcrest.Matchers.equalTo("保留李四"));
    platform.as(shop).get("/api/v1/orders/{id}", kept).then().statusCode(200)
        .body("customer_name", org.hamcrest.Matchers.equalTo("保留李四"));
  }

  private long order(E2ePlatform.TenantKey shop, String orderNo, String buyer, String total, String name,
      String phone, String at) {
    Map<String, Object> body = new java.util.HashMap<>(Map.of("order_no", orderNo, "customer_external_id", buyer,
        "ordered_at", at, "total_amount", new BigDecimal(total), "status", "completed", "customer_name", name,
        "customer_phone", phone, "province", "浙江省", "city", ADDRESS,
        "items", List.of(Map.of("sku", "TEA-1", "product_name", "龙井", "quantity", 1, "unit_price",
            new BigDecimal(total)))));
    if (buyer.startsWith("pdr-buyer")) {
      body.put("customer_email", EMAIL);
    } else {
      body.put("city", "宁波市");
    }
    return platform.as(shop).body(body).post("/api/v1/orders").then().statusCode(201).extract().jsonPath()
        .getLong("id");
  }

  /** The service's tables with a tenant_id column where a row of the shop contains one of the strings. */
  private List<String> tablesHolding(ServiceSpec service, String tenant, List<String> strings) {
    List<String> found = new ArrayList<>();
    try (Connection c = connect(service)) {
      List<String> tables = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("""
              SELECT c.table_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
               WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'""");
           ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      String[] patterns = strings.stream().map(v -> "%" + v + "%").toArray(String[]::new);
      for (String table : tables) {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM \"" + table + "\" x"
            + " WHERE x.tenant_id = ? AND x::text LIKE ANY (?)")) {
          s.setString(1, tenant);
          s.setArray(2, c.createArrayOf("text", patterns));
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) {
              found.add(table);
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }

  /** The service's own database (the platform's, by its exact name: not a per-JVM test copy). */
  private Connection connect(ServiceSpec service) throws SQLException {
    TestDatabase db = TestDatabase.get();
    return DriverManager.getConnection("jdbc:postgresql://" + db.host() + ":" + db.port() + "/"
        + service.database(platform.platform().config().dbPrefix()), db.user(), db.password());
  }

  private String text(ServiceSpec service, String sql, String tenant) {
    try (Connection c = connect(service); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, tenant);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
