package com.shopcrm.gateway.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.gateway.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web console (static files under META-INF/resources, ECharts from the org.mvnpm:echarts jar) is
 * served at {@code /} without a key, while the API behind it still wants one. The browser tests
 * (e2e-tests WebConsoleTest) drive it; this checks, without a browser, that every file it loads is there.
 */
@QuarkusTest
class ConsoleTest extends GatewayTest {

  private static final Pattern IMPORT_MAP_ECHARTS = Pattern.compile("\"echarts\":\\s*\"([^\"]+)\"");
  private static final Pattern MODULE_IMPORT = Pattern.compile("from '(\\./|\\.\\./)([^']+)'");

  @Test
  void servesTheConsolePageWithoutAKey() {
    given().get("/").then().statusCode(200)
        .contentType(containsString("text/html"))
        .body(containsString("<script type=\"module\" src=\"/console/app.js\"></script>"))
        .body(containsString("/console/console.css"))
        // without JavaScript the page still says how to use the API
        .body(containsString("Authorization: Bearer"))
        .body(containsString("/api/docs/"))
        .body(containsString("/api/v1/openapi"));
    given().get("/console/console.css").then().statusCode(200).contentType(containsString("text/css"));
    given().get("/api/docs/").then().statusCode(200);
  }

  @Test
  void servesTheEchartsBundleTheImportMapNamesFromTheJar() {
    String page = given().get("/").then().statusCode(200).extract().asString();
    Matcher m = IMPORT_MAP_ECHARTS.matcher(page);
    assertTrue(m.find(), "the import map names echarts");
    String path = m.group(1);
    assertTrue(path.startsWith("/_static/echarts/"), "served from the jar, no CDN: " + path);
    Response asset = given().get(path);
    assertEquals(200, asset.statusCode(), path + " (does the version in index.html match echarts.version in the pom?)");
    assertTrue(asset.contentType().contains("javascript"), asset.contentType());
    String js = asset.asString();
    assertTrue(js.length() > 500_000, "the whole bundle: " + js.length());
    // the ES module build: the console imports {init} from it
    assertTrue(js.contains("export{") || js.contains("export {"), "an ES module");
  }

  @Test
  void everyModuleTheConsoleImportsIsServed() {
    Deque<String> todo = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    todo.add("/console/app.js");
    while (!todo.isEmpty()) {
      String path = todo.pop();
      if (!seen.add(path)) {
        continue;
      }
      Response r = given().get(path);
      assertEquals(200, r.statusCode(), path);
      assertTrue(r.contentType().contains("javascript"), path + ": " + r.contentType());
      Matcher imports = MODULE_IMPORT.matcher(r.asString());
      String dir = path.substring(0, path.lastIndexOf('/') + 1);
      while (imports.find()) {
        String base = imports.group(1).equals("./") ? dir : dir.substring(0, dir.lastIndexOf('/', dir.length() - 2) + 1);
        todo.add(base + imports.group(2));
      }
    }
    assertTrue(seen.size() >= 14 && seen.contains("/console/pages/segments.js"), "app, api, dom, i18n, format, charts and eight pages: " + seen);
  }

  @Test
  void theApiBehindTheConsoleStillWantsAKey() {
    given().get("/api/v1/customers").then().statusCode(401)
        .contentType("application/problem+json");
    given().header("Authorization", "Bearer crm_not-a-key-of-anyone-000000000").get("/api/v1/kpis/rfm-distribution")
        .then().statusCode(401).contentType("application/problem+json");
  }
}
