package com.shopcrm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.launcher.datagen.ShopGenerator;
import com.shopcrm.launcher.datagen.ShopParameters;
import com.shopcrm.launcher.demo.DemoShop;
import io.restassured.path.json.JsonPath;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./crm up --demo} on the real platform: the loader {@code UpCommand} runs after {@code up}, against the
 * gateway with the platform admin key, then the counts through the gateway with the demo shop's own key.
 */
@ExtendWith(PlatformExtension.class)
class DemoShopTest {

  private static final int CUSTOMERS = 300;

  private final E2ePlatform platform;

  DemoShopTest(E2ePlatform platform) {
    this.platform = platform;
  }

  @Test
  void upDemoLoadsAScoredShopWithSegmentsAndALaunchedCampaignOnceOnly() {
    Path state = platform.platform().config().stateDir();
    PrintWriter out = new PrintWriter(System.out, true);
    DemoShop demo = new DemoShop(URI.create(platform.running().gatewayUrl()), E2ePlatform.ADMIN_KEY, state, out,
        Clock.systemUTC(), Duration.ofMinutes(3));

    DemoShop.Result first = demo.load(CUSTOMERS);

    assertTrue(first.loaded());
    // What the generator drew for the same day and size is what the gateway now holds.
    LocalDate end = LocalDate.now(Clock.systemUTC().withZone(java.time.ZoneId.of("Asia/Shanghai"))).minusDays(1);
    long expectedOrders = new ShopGenerator(ShopParameters.defaults(CUSTOMERS, end).withIdPrefix("demo-")).all()
        .stream().mapToLong(c -> c.orders().size()).sum();
    assertEquals(expectedOrders, first.orders());
    E2ePlatform.TenantKey shop = new E2ePlatform.TenantKey(DemoShop.TENANT, first.key());
    assertEquals(CUSTOMERS, countPages(shop, "/api/v1/customers"));
    assertEquals(expectedOrders, countPages(shop, "/api/v1/orders"));

    JsonPath rfm = platform.as(shop).get("/api/v1/kpis/rfm-distribution").then().statusCode(200).extract().jsonPath();
    assertTrue(rfm.getLong("customers") > CUSTOMERS * 9 / 10, "scored customers: " + rfm.prettify());
    assertEquals(8, rfm.getList("segments").size());

    List<Map<String, Object>> segments = platform.as(shop).get("/api/v1/segments").then().statusCode(200)
        .extract().jsonPath().getList("items");
    assertEquals(3, segments.size());
    Number segmentId = (Number) segments.get(0).get("id");
    long members = platform.as(shop).get("/api/v1/segments/" + segmentId + "/count").then().statusCode(200)
        .extract().jsonPath().getLong("count");
    assertTrue(members > 0, "the high-value segment has members");

    JsonPath campaign = platform.as(shop).get("/api/v1/campaigns/" + first.campaignId()).then().statusCode(200)
        .extract().jsonPath();
    assertEquals("launched", campaign.getString("status"));
    JsonPath report = platform.as(shop).get("/api/v1/campaigns/" + first.campaignId() + "/report").then()
        .statusCode(200).extract().jsonPath();
    assertEquals(members, report.getLong("audience"));
    assertTrue(report.getLong("control.recipients") > 0, "a control group: " + report.prettify());

    // Twice: nothing is loaded again, and the same key still works.
    DemoShop.Result second = demo.load(CUSTOMERS);
    assertFalse(second.loaded());
    assertEquals(first.key(), second.key());
    assertEquals(first.campaignId(), second.campaignId());
    assertEquals(CUSTOMERS, countPages(shop, "/api/v1/customers"));
    assertEquals(expectedOrders, countPages(shop, "/api/v1/orders"));

    // Another shop sees none of it.
    E2ePlatform.TenantKey other = platform.newTenant("demo-other", "admin");
    assertEquals(0, countPages(other, "/api/v1/customers"));
    platform.as(other).get("/api/v1/campaigns/" + first.campaignId()).then().statusCode(404);
    assertNotNull(first.key());
  }

  private long countPages(E2ePlatform.TenantKey key, String path) {
    long n = 0;
    String cursor = null;
    do {
      var request = platform.as(key).queryParam("limit", 1000);
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      JsonPath page = request.get(path).then().statusCode(200).extract().jsonPath();
      n += page.getList("items").size();
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    return n;
  }
}
