package com.shopcrm.gateway.openapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.gateway.GatewayTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(AllServicesUp.class)
class OpenApiTest extends GatewayTest {

  private static final List<String> SERVICES = List.of("customer", "order", "scoring", "campaign");
  private final ObjectMapper json = new ObjectMapper();

  private static SwaggerParseResult parse(String document) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    return new OpenAPIV3Parser().readContents(document, null, options);
  }

  @Test
  void aggregatedDocumentIsValidAndHasEveryPublicPathOfEveryService() throws Exception {
    String body = given().get("/api/v1/openapi") // public: no key
        .then().statusCode(200).contentType("application/json").extract().asString();
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/aggregated-openapi.json"), body);
    SwaggerParseResult result = parse(body);
    assertEquals(List.of(), result.getMessages(), "the parser's complaints");
    OpenAPI merged = result.getOpenAPI();
    assertNotNull(merged);

    int compared = 0;
    for (String service : SERVICES) {
      OpenAPI own = parse(given().get("/api/v1/openapi/" + service).then().statusCode(200).extract().asString()).getOpenAPI();
      for (Map.Entry<String, PathItem> e : own.getPaths().entrySet()) {
        if (!e.getKey().startsWith("/api/v1/")) {
          assertTrue(!merged.getPaths().containsKey(e.getKey()), "not public: " + e.getKey());
          continue;
        }
        PathItem mergedItem = merged.getPaths().get(e.getKey());
        assertNotNull(mergedItem, service + " " + e.getKey());
        assertEquals(e.getValue().readOperationsMap().keySet(), mergedItem.readOperationsMap().keySet(), e.getKey());
        compared++;
      }
    }
    assertEquals(2 + 3 + 3 + 3, compared, "every fake service's /api/v1 paths");
    // the gateway's own, too
    assertNotNull(merged.getPaths().get("/api/v1/admin/tenants"));
    assertNotNull(merged.getPaths().get("/api/v1/status"));
    assertTrue(!merged.getPaths().containsKey("/q/health/ready"));

    // one security scheme, applied to all but the public documents
    assertEquals(Set.of("apiKey"), merged.getComponents().getSecuritySchemes().keySet());
    assertEquals("bearer", merged.getComponents().getSecuritySchemes().get("apiKey").getScheme());
    assertEquals(List.of("apiKey"), new ArrayList<>(merged.getSecurity().get(0).keySet()));
    for (Map.Entry<String, PathItem> e : merged.getPaths().entrySet()) {
      for (Operation op : e.getValue().readOperations()) {
        if (e.getKey().startsWith("/api/v1/openapi")) {
          assertEquals(List.of(), op.getSecurity(), e.getKey() + " is public");
        } else {
          assertTrue(op.getSecurity() == null, e.getKey() + " uses the global scheme");
        }
      }
    }
  }

  @Test
  void conflictingSchemaNamesAreRenamedAndReferencesFollow() throws Exception {
    JsonNode merged = json.readTree(given().get("/api/v1/openapi").then().statusCode(200).extract().asString());
    JsonNode schemas = merged.path("components").path("schemas");
    // "Page" means three different things in customer, order and campaign
    assertTrue(!schemas.has("Page"));
    assertEquals("#/components/schemas/Customer", schemas.path("CustomerPage").path("properties").path("items").path("items").path("$ref").asText());
    assertEquals("#/components/schemas/Order", schemas.path("OrderPage").path("properties").path("items").path("items").path("$ref").asText());
    assertEquals("#/components/schemas/CampaignPage",
        merged.path("paths").path("/api/v1/segments").path("get").path("responses").path("200").path("content")
            .path("application/json").path("schema").path("$ref").asText());
    // "Problem" is the same in customer and order: shared under its name
    assertTrue(schemas.has("Problem"));
    // operation ids stay unique ("list" in order and scoring)
    Set<String> ids = new HashSet<>();
    merged.path("paths").forEach(item -> item.forEach(op -> {
      if (op.has("operationId")) {
        assertTrue(ids.add(op.get("operationId").asText()), "duplicate " + op.get("operationId"));
      }
    }));
    assertTrue(ids.contains("list") && ids.contains("scoringList"), ids.toString());
    // a response the service left without its required description gets one
    assertTrue(json.readTree(given().get("/api/v1/openapi/scoring").then().extract().asString())
        .path("paths").path("/api/v1/scoring/runs").path("post").path("responses").path("202").path("description").isMissingNode());
    assertEquals("Accepted", merged.path("paths").path("/api/v1/scoring/runs").path("post").path("responses").path("202")
        .path("description").asText());
  }

  /**
   * GeneratedClientTest's client is generated at build time from
   * src/test/resources/openapi/aggregated-with-fake-services.json: it must be (a part of) what the
   * gateway serves. When the merge changes, copy target/aggregated-openapi.json over it.
   */
  @Test
  void clientIsGeneratedFromTheServedDocument() throws Exception {
    JsonNode served = json.readTree(given().get("/api/v1/openapi").then().statusCode(200).extract().asString());
    JsonNode generatedFrom;
    try (var in = getClass().getClassLoader().getResourceAsStream("openapi/aggregated-with-fake-services.json")) {
      generatedFrom = json.readTree(in);
    }
    generatedFrom.path("paths").fields().forEachRemaining(e ->
        assertEquals(e.getValue(), served.path("paths").path(e.getKey()), "path " + e.getKey()));
    generatedFrom.path("components").fields().forEachRemaining(section -> section.getValue().fields().forEachRemaining(e ->
        assertEquals(e.getValue(), served.path("components").path(section.getKey()).path(e.getKey()),
            section.getKey() + " " + e.getKey())));
    assertEquals(generatedFrom.path("security"), served.path("security"));
  }

  @Test
  void eachServicesOwnDocumentIsReachable() {
    for (String service : SERVICES) {
      given().get("/api/v1/openapi/" + service).then().statusCode(200)
          .body("info.title", containsString(service));
    }
    given().get("/api/v1/openapi/gateway").then().statusCode(200).body("paths", org.hamcrest.Matchers.hasKey("/api/v1/status"));
    given().get("/api/v1/openapi/nothing").then().statusCode(404).contentType("application/problem+json");
  }

  @Test
  void swaggerUiShowsTheAggregatedDocument() {
    given().get("/api/docs/").then().statusCode(200).contentType(containsString("text/html"))
        .body(containsString("swagger-ui"));
    String page = given().get("/api/docs/index.html").then().statusCode(200).extract().asString();
    assertTrue(page.contains("/api/v1/openapi"), "Swagger UI points at the aggregated document");
  }

}
