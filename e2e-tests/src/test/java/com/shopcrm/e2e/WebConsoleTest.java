package com.shopcrm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.FilePayload;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;

/**
 * The web console in a real browser (Debian's headless Chromium, driven by Playwright for Java; no
 * browser is downloaded) against the real platform: a shop's customers, orders, scores and a campaign
 * go in through the gateway's API, then the console logs in with the shop's key, renders every
 * dashboard chart with that data (read from the ECharts instances, compared with what was seeded),
 * finds a customer and opens the 360, builds a segment (all / not groups) and sees its live and saved
 * count, drafts and launches a campaign over it, uploads an import and watches it finish, and shows the
 * campaign report and the ticket queue.
 * Another shop's key sees none of it. Screenshots go to target/screenshots.
 *
 * <p>Skipped (assumption) when /usr/bin/chromium is not installed ({@code apt-get install chromium}); another
 * path with {@code -Dcrm.e2e.chromium=}.
 */
@ExtendWith(PlatformExtension.class)
class WebConsoleTest {

  private static final Path CHROMIUM = Path.of(System.getProperty("crm.e2e.chromium", "/usr/bin/chromium"));
  private static final Path SCREENSHOTS = Path.of(System.getProperty("crm.e2e.screenshots", "target/screenshots"));
  private static final ZoneId SHOP_ZONE = ZoneId.of("Asia/Shanghai");
  /** Customers 0..39 bought within the dashboard's last 12 months, 40..43 only before it; two never bought. */
  private static final int RECENT_BUYERS = 40;
  private static final int BUYERS = 44;
  private static final int CUSTOMERS = BUYERS + 2;
  private static final String SEARCHED = "林小雨";
  private static final int SEARCHED_INDEX = 8;

  private static Playwright playwright;
  private static Browser browser;
  private static Shop shop;

  private final E2ePlatform platform;
  private BrowserContext context;

  WebConsoleTest(E2ePlatform platform) {
    this.platform = platform;
  }

  /**
   * Without Chromium each test is skipped (an assumption, reported with its message) before the test
   * instance, and so before the platform, is made.
   */
  @RegisterExtension
  static final TestInstancePreConstructCallback NEEDS_CHROMIUM = (factory, context) ->
      Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
          "the browser tests need Debian's Chromium at " + CHROMIUM + " (apt-get install -y chromium); skipped");

  @BeforeAll
  static void startBrowser() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      return; // NEEDS_CHROMIUM skips every test
    }
    Files.createDirectories(SCREENSHOTS);
    playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM)
        .setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run")));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
  }

  @AfterEach
  void closeContext() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void merchantLogsInSeesTheChartsFindsACustomerBuildsASegmentAndImportsOrders() {
    Shop s = seeded();
    Page page = newPage();

    // --- log in
    page.navigate(url());
    page.locator("[data-test=api-key]").fill(s.key().apiKey());
    page.locator("[data-test=login]").click();
    waitLoaded(page, "#/dashboard");
    assertEquals(s.key().apiKey(), page.evaluate("() => sessionStorage.getItem('crm.apiKey')"));

    // --- dashboard: every chart is drawn, with the shop's numbers
    Map<String, Object> charts = charts(page);
    assertEquals(List.of("campaign-results", "clv-histogram", "cohort-retention", "lifecycle-funnel",
        "revenue-trend", "rfm-distribution"), charts.keySet().stream().sorted().toList(), charts.toString());
    assertEquals(s.revenueInPeriod(), sum(seriesData(charts, "revenue-trend", 0)), 0.005, "revenue trend = the orders of the period");
    assertEquals(s.ordersInPeriod(), sum(seriesData(charts, "revenue-trend", 1)), 0.0, "orders per month");
    assertEquals(BUYERS, sum(seriesData(charts, "rfm-distribution", 0)), 0.0, "every buyer in one RFM class");
    assertEquals(8, seriesData(charts, "rfm-distribution", 0).size(), "the 8 classes");
    assertEquals(100.0, sum(seriesData(charts, "rfm-distribution", 1)), 0.5, "revenue shares add up to 100%");
    List<Object> funnel = seriesData(charts, "lifecycle-funnel", 0);
    assertEquals(CUSTOMERS - BUYERS, ((Number) ((Map<?, ?>) funnel.get(0)).get("value")).intValue(), "prospects: never bought");
    assertEquals(CUSTOMERS, sum(funnel), 0.0, "every customer in one stage");
    double clvCustomers = platform.as(s.key()).get("/api/v1/kpis/clv-distribution?buckets=10").then().statusCode(200)
        .extract().jsonPath().getDouble("customers");
    assertTrue(clvCustomers > 0, "customers with a predicted CLV");
    assertEquals(clvCustomers, sum(seriesData(charts, "clv-histogram", 0)), 0.0, "the CLV histogram holds them all");
    List<Object> cohortCells = seriesData(charts, "cohort-retention", 0);
    assertFalse(cohortCells.isEmpty(), "cohort heatmap has cells");
    List<List<?>> firstMonths = cohortCells.stream().<List<?>>map(c -> (List<?>) c)
        .filter(c -> ((Number) c.get(0)).intValue() == 0).toList();
    firstMonths.forEach(c -> assertEquals(100.0, ((Number) c.get(2)).doubleValue(), 0.0, "month 0 holds the whole cohort"));
    assertEquals(cohortCells.stream().map(c -> ((List<?>) c).get(1)).distinct().count(), firstMonths.size(),
        "every cohort row starts with its month 0");
    assertEquals(List.of(s.campaignName()), axis(charts, "campaign-results"));
    assertEquals(round1(s.report().getDouble("control.conversion_rate") * 100),
        ((Number) seriesData(charts, "campaign-results", 1).get(0)).doubleValue(), 0.0, "control conversion rate");
    assertEquals(String.valueOf(CUSTOMERS), kpi(page, "customers"));
    assertEquals(String.valueOf(RECENT_BUYERS), kpi(page, "buyers").replace(",", ""));
    assertTrue(kpi(page, "revenue").startsWith("¥"), kpi(page, "revenue"));
    assertTrue(kpi(page, "churn").endsWith("%"), "churn is measured: " + kpi(page, "churn"));
    screenshot(page, "01-dashboard");

    // labels switch to Chinese and back
    page.locator("[data-test=lang]").selectOption("zh-CN");
    waitLoaded(page, "#/dashboard");
    assertEquals("客户", page.locator("[data-test=nav-customers]").textContent());
    assertTrue(page.locator("[data-kpi=aov]").textContent().contains("客单价"));
    screenshot(page, "02-dashboard-zh");
    page.locator("[data-test=lang]").selectOption("en");
    waitLoaded(page, "#/dashboard");
    assertEquals("Customers", page.locator("[data-test=nav-customers]").textContent());

    // --- search a customer, open the 360
    page.locator("[data-test=nav-customers]").click();
    waitLoaded(page, "#/customers");
    page.locator("[data-test=filter-q]").fill(SEARCHED);
    page.locator("[data-test=search]").click();
    page.waitForCondition(() -> page.locator("[data-test=customer-link]").count() == 1);
    assertEquals(SEARCHED, page.locator("[data-test=customer-link]").textContent());
    page.locator("[data-test=customer-link]").click();
    waitLoaded(page, "#/customers/" + s.searchedId());
    assertEquals(SEARCHED, page.locator("[data-test=customer-name]").textContent());
    assertEquals(List.of("vip"), page.locator("[data-test=customer-tag]").allTextContents().stream().distinct().toList());
    assertEquals(s.searchedOrders(), page.locator("[data-test=orders] tbody tr").count(), "her orders");
    assertTrue(page.locator("[data-test=p-alive]").textContent().endsWith("%"), page.locator("[data-test=p-alive]").textContent());
    assertTrue(page.locator("[data-test=clv]").textContent().startsWith("¥"), page.locator("[data-test=clv]").textContent());
    JsonPath score = platform.as(s.key()).get("/api/v1/scores/{id}", s.searchedId()).then().statusCode(200).extract().jsonPath();
    assertEquals(round1(score.getDouble("p_alive") * 100),
        ((Number) ((Map<?, ?>) seriesData(charts(page), "p-alive", 0).get(0)).get("value")).doubleValue(), 0.0, "P(alive) gauge");
    String timeline = page.locator("[data-test=timeline]").textContent();
    assertTrue(timeline.contains("Abandoned cart") && timeline.contains("Ticket") && timeline.contains("W-" + SEARCHED_INDEX + "-0"), timeline);
    assertTrue(page.locator("[data-test=tickets]").textContent().contains("快递三天未更新"));
    assertTrue(page.locator("[data-test=consent]").textContent().contains("SMS"));
    assertFalse(page.locator("[data-test=tier]").textContent().isBlank());
    screenshot(page, "03-customer-360");

    // --- build a segment: vip AND NOT (city = 杭州), live count, save, saved count
    page.locator("[data-test=nav-segments]").click();
    waitLoaded(page, "#/segments");
    Locator first = page.locator("[data-test=condition]").nth(0);
    first.locator("[data-test=cond-field]").selectOption("tags");
    first = page.locator("[data-test=condition]").nth(0);
    first.locator("[data-test=cond-op]").selectOption("contains");
    page.locator("[data-test=condition]").nth(0).locator("[data-test=cond-value]").fill("vip");
    awaitText(page, "[data-test=live-count-value]", String.valueOf(s.vip()));
    page.locator("[data-test=add-group]").first().click();
    Locator group = page.locator("[data-test=group] [data-test=group]").first();
    group.locator("[data-test=group-mode]").selectOption("not");
    Locator second = page.locator("[data-test=condition]").nth(1);
    second.locator("[data-test=cond-field]").selectOption("city");
    second = page.locator("[data-test=condition]").nth(1);
    second.locator("[data-test=cond-op]").selectOption("eq");
    page.locator("[data-test=condition]").nth(1).locator("[data-test=cond-value]").fill("杭州");
    awaitText(page, "[data-test=live-count-value]", String.valueOf(s.vipInShanghai()));
    screenshot(page, "04-segment-builder");
    page.locator("[data-test=segment-name]").fill("VIP outside Hangzhou");
    page.locator("[data-test=save-segment]").click();
    awaitText(page, "[data-test=saved-count-value]", String.valueOf(s.vipInShanghai()));
    JsonPath saved = platform.as(s.key()).get("/api/v1/segments?limit=100").then().statusCode(200).extract().jsonPath();
    Map<String, Object> rule = saved.getMap("items.find { it.name == 'VIP outside Hangzhou' }.rule");
    assertEquals(Map.of("all", List.of(Map.of("field", "tags", "op", "contains", "value", "vip"),
        Map.of("not", Map.of("field", "city", "op", "eq", "value", "杭州")))), rule);
    screenshot(page, "05-segment-saved");

    // --- upload an import and watch it finish
    page.locator("[data-test=nav-imports]").click();
    waitLoaded(page, "#/imports");
    page.locator("[data-test=import-file]").setInputFiles(new FilePayload("orders.csv", "text/csv",
        importCsv().getBytes(StandardCharsets.UTF_8)));
    page.locator("[data-test=import-submit]").click();
    awaitText(page, "[data-test=import-status]", "completed");
    assertEquals("4", page.locator("[data-test=rows-total]").textContent());
    assertEquals("3", page.locator("[data-test=rows-imported]").textContent());
    assertEquals("2", page.locator("[data-test=orders-imported]").textContent());
    assertEquals("1", page.locator("[data-test=rows-rejected]").textContent());
    assertEquals("100", page.locator("[data-test=import-progress]").getAttribute("value"));
    String errors = page.locator("[data-test=import-errors]").textContent();
    assertTrue(errors.contains("5") && errors.contains("total_amount"), errors);
    assertEquals(1, platform.as(s.key()).get("/api/v1/orders?customer_external_id=web-imp-2").then().statusCode(200)
        .extract().jsonPath().getList("items").size(), "the imported order is there");
    screenshot(page, "06-import");

    // --- a campaign drafted and launched from the console over the new segment
    page.locator("[data-test=nav-campaigns]").click();
    waitLoaded(page, "#/campaigns");
    page.locator("[data-test=campaign-name]").fill("VIP 回购");
    page.locator("[data-test=campaign-segment]").selectOption(new com.microsoft.playwright.options.SelectOption()
        .setLabel("VIP outside Hangzhou (#" + saved.getLong("items.find { it.name == 'VIP outside Hangzhou' }.id") + ")"));
    page.locator("[data-test=create-campaign]").click();
    Locator draft = page.locator("[data-test=campaign-list] tr", new Page.LocatorOptions().setHasText("VIP 回购"));
    draft.locator("button").click();
    page.waitForFunction("() => /^#\\/campaigns\\/\\d+$/.test(window.crmConsole.state.page) && !window.crmConsole.state.loading");
    Map<?, ?> launchedAudience = (Map<?, ?>) seriesData(charts(page), "campaign-funnel", 0).get(0);
    assertEquals(s.vipInShanghai(), ((Number) launchedAudience.get("value")).intValue(), "the new campaign's audience");
    JsonPath created = platform.as(s.key()).get("/api/v1/campaigns?limit=100").then().statusCode(200).extract().jsonPath();
    assertEquals("launched", created.getString("items.find { it.name == 'VIP 回购' }.status"));
    assertEquals(20, created.getInt("items.find { it.name == 'VIP 回购' }.control_pct"));
    assertEquals(2, created.getList("items.find { it.name == 'VIP 回购' }.variants").size());
    assertEquals(10.0, created.getDouble("items.find { it.name == 'VIP 回购' }.offer.amount"), 0.0, "the form's default coupon");

    // --- the seeded campaign's report and the ticket queue
    page.navigate(url() + "#/campaigns/" + s.campaignId());
    waitLoaded(page, "#/campaigns/" + s.campaignId());
    Map<String, Object> report = charts(page);
    Map<?, ?> audience = (Map<?, ?>) seriesData(report, "campaign-funnel", 0).get(0);
    assertEquals(BUYERS, ((Number) audience.get("value")).intValue(), "funnel starts with the audience");
    assertEquals(s.report().getList("arms").size() + 1, seriesData(report, "campaign-arms", 0).size(), "arms + control");
    String pValue = page.locator("[data-test=p-value] .kpi-value").textContent();
    assertEquals(String.format(java.util.Locale.ROOT, "%.4f", s.report().getDouble("p_value")).replaceAll("0+$", "").replaceAll("\\.$", ""),
        pValue, "the report's p-value");
    screenshot(page, "07-campaign-report");
    page.locator("[data-test=nav-tickets]").click();
    waitLoaded(page, "#/tickets");
    assertTrue(page.locator("[data-test=tickets]").textContent().contains("快递三天未更新"));
    screenshot(page, "08-tickets");
  }

  @Test
  void anotherShopsKeySeesNoneOfItAndABadKeyIsRefused() {
    Shop s = seeded();
    E2ePlatform.TenantKey other = platform.newTenant("console-other");
    Page page = newPage();
    page.navigate(url());
    page.locator("[data-test=api-key]").fill("crm_this-is-not-a-key-000000000000");
    page.locator("[data-test=login]").click();
    awaitText(page, "[data-test=login-form] .error", "This API key is not valid.");
    assertEquals(null, page.evaluate("() => sessionStorage.getItem('crm.apiKey')"));

    page.locator("[data-test=api-key]").fill(other.apiKey());
    page.locator("[data-test=login]").click();
    waitLoaded(page, "#/dashboard");
    assertEquals("0", kpi(page, "customers"));
    Map<String, Object> charts = charts(page);
    assertEquals(0.0, sum(seriesData(charts, "rfm-distribution", 0)), 0.0, "no RFM class holds anyone");
    assertEquals(0.0, sum(seriesData(charts, "revenue-trend", 0)), 0.0, "no revenue");
    assertFalse(charts.containsKey("campaign-results"), "no campaign");
    page.locator("[data-test=nav-customers]").click();
    waitLoaded(page, "#/customers");
    page.locator("[data-test=filter-q]").fill(SEARCHED);
    page.locator("[data-test=search]").click();
    page.locator("[data-test=no-customers]").waitFor();
    page.navigate(url() + "#/customers/" + s.searchedId());
    waitLoaded(page, "#/customers/" + s.searchedId());
    assertEquals("customer " + s.searchedId() + " does not exist", page.locator("main .error").textContent(),
        "another shop's customer is not found");
    screenshot(page, "09-other-shop");

    page.locator("[data-test=logout]").click();
    page.locator("[data-test=login-form]").waitFor();
    assertEquals(null, page.evaluate("() => sessionStorage.getItem('crm.apiKey')"));
  }

  // ------------------------------------------------------------------ the shop, seeded once through the API

  /** What was seeded, and the numbers the console must show for it. */
  private record Shop(E2ePlatform.TenantKey key, long searchedId, int searchedOrders, double revenueInPeriod,
                      int ordersInPeriod, int vip, int vipInShanghai, long campaignId, String campaignName, JsonPath report) {
  }

  private synchronized Shop seeded() {
    if (shop == null) {
      shop = seed();
    }
    return shop;
  }

  private Shop seed() {
    E2ePlatform.TenantKey key = platform.newTenant("console");
    String[] products = {"龙井茶", "茶杯", "茶盘", "紫砂壶", "茶叶罐"};
    double revenue = 0;
    int orders = 0;
    int vip = 0;
    int vipInShanghai = 0;
    long searchedId = 0;
    int searchedOrders = 0;
    for (int i = 0; i < BUYERS; i++) {
      boolean shanghai = i % 3 == 0;
      boolean isVip = i % 4 == 0;
      vip += isVip ? 1 : 0;
      vipInShanghai += isVip && shanghai ? 1 : 0;
      long id = platform.as(key).body(Map.of("external_id", "web-" + i, "name", i == SEARCHED_INDEX ? SEARCHED : "顾客" + i,
              "phone", String.format("139%08d", i), "tags", isVip ? List.of("vip") : List.of(),
              "province", shanghai ? "上海" : "浙江", "city", shanghai ? "上海" : "杭州"))
          .post("/api/v1/customers").then().statusCode(201).extract().jsonPath().getLong("id");
      int count = 0;
      if (i < RECENT_BUYERS) {
        for (int j = 0; j <= i % 3; j++) {
          int amount = 50 + i * 3 + j * 20;
          order(key, "W-" + i + "-" + j, i, daysAgo(10 + (i * 37 + j * 53) % 300), amount,
              List.of(Map.of("sku", "SKU-" + (i + j) % 5, "product_name", products[(i + j) % 5], "quantity", 1,
                  "unit_price", amount)));
          revenue += amount;
          orders++;
          count++;
        }
      }
      if (i < 8 || i >= RECENT_BUYERS) { // bought the year before: the base of retention and churn
        order(key, "W-" + i + "-old", i, daysAgo(380 + i % 8), 99, List.of());
        count++;
      }
      if (i == SEARCHED_INDEX) {
        searchedId = id;
        searchedOrders = count;
      }
    }
    for (int k = 0; k < CUSTOMERS - BUYERS; k++) {
      platform.as(key).body(Map.of("external_id", "web-nb-" + k, "name", "访客" + k)).post("/api/v1/customers")
          .then().statusCode(201);
    }
    platform.as(key).body(Map.of("type", "cart_abandon")).post("/api/v1/customers/{id}/events", searchedId)
        .then().statusCode(201);
    platform.as(key).body(Map.of("customer_id", searchedId, "channel", "online_chat", "categories", List.of("logistics"),
            "priority", "high", "subject", "快递三天未更新", "description", "订单 W-8-0 物流停滞"))
        .post("/api/v1/customers/tickets").then().statusCode(201);

    // every order reached scoring-service, a full run scores everyone, the read model holds the stages
    platform.await("scoring-service holds every order", () -> platform.as(key).get("/api/v1/kpis/cohorts?months=24"),
        c -> c.getList("cohorts.customers", Integer.class).stream().mapToInt(Integer::intValue).sum() == BUYERS, 60_000);
    String run = platform.as(key).body(Map.of()).post("/api/v1/scoring/runs").then().statusCode(202)
        .extract().jsonPath().getString("id");
    platform.await("scoring run completed", () -> platform.as(key).get("/api/v1/scoring/runs/{id}", run), r -> {
      if (r.getString("status").equals("failed")) {
        fail("scoring run failed: " + r.prettify());
      }
      return r.getString("status").equals("completed");
    }, 60_000);
    platform.await("the read model holds every stage", () -> platform.as(key).body(Map.of("rule",
            Map.of("field", "lifecycle_stage", "op", "exists", "value", true))).post("/api/v1/segments/preview?limit=1"),
        p -> p.getInt("count") == BUYERS, 60_000);

    // a campaign over every buyer with a control group; a third of the recent buyers order again
    long segment = platform.as(key).body(Map.of("name", "all buyers", "rule",
            Map.of("field", "frequency", "op", "gte", "value", 0)))
        .post("/api/v1/segments").then().statusCode(201).extract().jsonPath().getLong("id");
    String campaignName = "双十二预热";
    long campaign = platform.as(key).body(Map.of("name", campaignName, "goal", "repurchase", "segment_id", segment,
            "channels", List.of("sms"),
            "variants", List.of(Map.of("name", "a", "weight", 1, "message", Map.of("sms", "{name}，专享券 {coupon}")),
                Map.of("name", "b", "weight", 1, "message", Map.of("sms", "{name}，满50减10：{coupon}"))),
            "control_pct", 20, "attribution_window_days", 30, "offer", Map.of("type", "coupon", "amount", 10, "min_spend", 50),
            "cost_per_message", Map.of("sms", 0.05)))
        .post("/api/v1/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
    platform.as(key).post("/api/v1/campaigns/{id}/launch", campaign).then().statusCode(202);
    platform.await("launched", () -> platform.as(key).get("/api/v1/campaigns/{id}", campaign),
        c -> c.getString("status").equals("launched"), 30_000);
    int converted = 0;
    for (int i = 0; i < RECENT_BUYERS; i += 3) {
      order(key, "CONV-" + i, i, OffsetDateTime.now(SHOP_ZONE).minusMinutes(1).toString(), 128, List.of());
      revenue += 128;
      orders++;
      converted++;
    }
    int conversions = converted;
    JsonPath report = platform.await("conversions attributed", () -> platform.as(key).get("/api/v1/campaigns/{id}/report", campaign),
        r -> r.getInt("control.conversions") + r.getList("arms.conversions", Integer.class).stream()
            .mapToInt(Integer::intValue).sum() == conversions, 60_000);
    platform.await("the scores include the new orders", () -> platform.as(key).get("/api/v1/kpis/rfm-distribution"),
        r -> r.getInt("customers") == BUYERS, 60_000);
    return new Shop(key, searchedId, searchedOrders, revenue, orders, vip, vipInShanghai, campaign, campaignName, report);
  }

  private void order(E2ePlatform.TenantKey key, String orderNo, int customer, String orderedAt, int amount,
                     List<Map<String, Object>> items) {
    Map<String, Object> body = new java.util.HashMap<>(Map.of("order_no", orderNo, "customer_external_id", "web-" + customer,
        "ordered_at", orderedAt, "total_amount", amount, "status", "completed"));
    if (!items.isEmpty()) {
      body.put("items", items);
    }
    platform.as(key).body(body).post("/api/v1/orders").then().statusCode(201);
  }

  /** Noon (shop time) of a day some days back: well inside or outside the dashboard's 12 months. */
  private static String daysAgo(int days) {
    return LocalDate.now(SHOP_ZONE).minusDays(days).atTime(12, 0).atZone(SHOP_ZONE).toOffsetDateTime().toString();
  }

  /** Four rows: one order, one order of two line items, one row with a bad amount (line 5). */
  private static String importCsv() {
    String day = LocalDate.now(SHOP_ZONE).minusDays(2) + " 10:00:00";
    return "order_no,customer_external_id,ordered_at,total_amount,customer_name,sku,product_name,quantity,unit_price\n"
        + "IMP-1,web-imp-1," + day + ",120.00,导入客户一,SKU-1,龙井茶,1,120.00\n"
        + "IMP-2,web-imp-2," + day + ",80.50,导入客户二,SKU-2,茶杯,1,40.25\n"
        + "IMP-2,web-imp-2," + day + ",80.50,导入客户二,SKU-3,茶盘,1,40.25\n"
        + "IMP-3,web-imp-3," + day + ",abc,导入客户三,SKU-1,龙井茶,1,120.00\n";
  }

  // ------------------------------------------------------------------ browser helpers

  private String url() {
    return "http://127.0.0.1:" + platform.portBase() + "/";
  }

  private Page newPage() {
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 1000).setLocale("en-US"));
    Page page = context.newPage();
    page.setDefaultTimeout(30_000);
    List<String> problems = new ArrayList<>();
    page.onPageError(problems::add);
    page.onConsoleMessage(m -> {
      if (m.type().equals("error") && !m.text().contains("the server responded with a status of 4")) {
        problems.add(m.text());
      }
    });
    context.onClose(c -> assertTrue(problems.isEmpty(), "errors in the page: " + problems));
    return page;
  }

  /** Waits until the console has rendered the page at {@code hash}. */
  private static void waitLoaded(Page page, String hash) {
    page.waitForFunction("h => window.crmConsole && window.crmConsole.state.page === h && !window.crmConsole.state.loading", hash);
  }

  private static void awaitText(Page page, String selector, String text) {
    page.waitForFunction("([s, t]) => { const e = document.querySelector(s); return e && e.textContent.trim() === t; }",
        List.of(selector, text));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> charts(Page page) {
    return (Map<String, Object>) page.evaluate("() => window.crmConsole.charts()");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> seriesData(Map<String, Object> charts, String chart, int series) {
    Map<String, Object> c = (Map<String, Object>) charts.get(chart);
    assertTrue(c != null, "chart " + chart + " is drawn: " + charts.keySet());
    List<Map<String, Object>> all = (List<Map<String, Object>>) c.get("series");
    return (List<Object>) all.get(series).get("data");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> axis(Map<String, Object> charts, String chart) {
    return (List<Object>) ((List<Object>) ((Map<String, Object>) charts.get(chart)).get("xAxis")).get(0);
  }

  /** The sum of a series: plain numbers or {value} items. */
  private static double sum(List<Object> data) {
    return data.stream().mapToDouble(d -> d instanceof Map<?, ?> m ? ((Number) m.get("value")).doubleValue()
        : ((Number) d).doubleValue()).sum();
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static String kpi(Page page, String name) {
    return page.locator("[data-kpi=" + name + "] .kpi-value").textContent().trim();
  }

  private static void screenshot(Page page, String name) {
    page.waitForTimeout(400); // the charts' short entry animation
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
  }
}
