package com.shopcrm.gateway.cors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.shopcrm.gateway.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CorsTest extends GatewayTest {

  @Test
  void honoursTheShopsOriginsAndNoOthers() {
    String shop = newTenant("cors-a");
    String otherShop = newTenant("cors-b");
    IssuedKey admin = issueKey(shop, "admin");
    given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
        .body(Map.of("origins", List.of("https://Shop-A.example.com:443", "http://localhost:5173")))
        .put("/api/v1/admin/tenants/" + shop + "/cors")
        .then().statusCode(200)
        .body("cors_origins", equalTo(List.of("https://shop-a.example.com", "http://localhost:5173")));

    // preflight: answered at the gateway, no key
    given().header("Origin", "https://shop-a.example.com").header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type")
        .options("/api/v1/customers")
        .then().statusCode(204)
        .header("Access-Control-Allow-Origin", "https://shop-a.example.com")
        .header("Access-Control-Allow-Methods", containsString("POST"))
        .header("Access-Control-Allow-Headers", containsString("Authorization"))
        .header("Access-Control-Max-Age", "600");
    given().header("Origin", "https://evil.example.com").header("Access-Control-Request-Method", "GET")
        .options("/api/v1/customers")
        .then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());

    // the real request, proxied: headers for the shop's own origin only
    given().header("Authorization", issueKey(shop, "marketer").bearer()).header("Origin", "https://shop-a.example.com")
        .get("/api/v1/customers")
        .then().statusCode(200)
        .header("Access-Control-Allow-Origin", "https://shop-a.example.com")
        .header("Access-Control-Expose-Headers", containsString("X-Request-Id"));
    given().header("Authorization", issueKey(shop, "marketer").bearer()).header("Origin", "https://evil.example.com")
        .get("/api/v1/customers")
        .then().statusCode(200).header("Access-Control-Allow-Origin", nullValue());
    // another shop's key from shop A's origin: not allowed
    given().header("Authorization", issueKey(otherShop, "marketer").bearer()).header("Origin", "https://shop-a.example.com")
        .get("/api/v1/customers")
        .then().statusCode(200).header("Access-Control-Allow-Origin", nullValue());
    // the gateway's own endpoints too
    given().header("Authorization", admin.bearer()).header("Origin", "http://localhost:5173")
        .get("/api/v1/admin/tenants/" + shop)
        .then().statusCode(200).header("Access-Control-Allow-Origin", "http://localhost:5173");
  }

  @Test
  void aShopAdminSetsOnlyItsOwnOrigins() {
    String shop = newTenant("cors-own");
    String other = newTenant("cors-other");
    IssuedKey admin = issueKey(shop, "admin");
    Map<String, Object> body = Map.of("origins", List.of("https://x.example.com"));
    given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body(body)
        .put("/api/v1/admin/tenants/" + other + "/cors")
        .then().statusCode(404).contentType("application/problem+json");
    given().header("Authorization", admin.bearer()).get("/api/v1/admin/tenants/" + other).then().statusCode(404);
    given().header("Authorization", issueKey(shop, "marketer").bearer()).contentType(ContentType.JSON).body(body)
        .put("/api/v1/admin/tenants/" + shop + "/cors")
        .then().statusCode(403);
    given().header("Authorization", PLATFORM).get("/api/v1/admin/tenants/" + other)
        .then().statusCode(200).body("cors_origins", equalTo(List.of()));
  }

  @Test
  void rejectsWhatIsNotAnOrigin() {
    String shop = newTenant("cors-bad");
    for (String bad : List.of("ftp://x.example.com", "https://x.example.com/path", "*", "x.example.com", "https://u@x.example.com")) {
      given().header("Authorization", PLATFORM).contentType(ContentType.JSON).body(Map.of("origins", List.of(bad)))
          .put("/api/v1/admin/tenants/" + shop + "/cors")
          .then().statusCode(400).contentType("application/problem+json")
          .body("errors[0].field", equalTo("origins[0]"));
    }
    given().header("Authorization", PLATFORM).get("/api/v1/admin/tenants/" + shop)
        .then().statusCode(200).body("cors_origins", equalTo(List.of()));
  }
}
