package com.shopcrm.customer.rest;

import static com.shopcrm.customer.rest.Api.CUSTOMERS;
import static com.shopcrm.customer.rest.Api.admin;
import static com.shopcrm.customer.rest.Api.as;
import static com.shopcrm.customer.rest.Api.count;
import static com.shopcrm.customer.rest.Api.create;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_customer_test"))
class CustomerResourceTest {

  private static final String ZHANG = """
      {"external_id": "tb-1001", "platform": "taobao", "name": "张伟", "phone": "+86 152-1234-3170",
       "email": "Zhang.Wei@Example.com", "gender": "male", "birthday": "1990-05-01", "province": "浙江",
       "city": "杭州", "tags": ["vip", "new"], "age_band": "25-34", "occupation": "engineer",
       "attributes": {"size": "L", "pref": {"color": "red"}}}""";

  @Test
  void createsAndReadsCustomer() {
    String tenant = InternalTokens.newTenant("crud");
    var created = admin(tenant).body(ZHANG).post(CUSTOMERS).then().statusCode(201)
        .header("Location", containsString(CUSTOMERS + "/"))
        .body("name", equalTo("张伟"))
        .body("platform", equalTo("taobao"))
        .body("phone", equalTo("+86 152-1234-3170"))
        .body("tags", contains("new", "vip"))
        .body("attributes.pref.color", equalTo("red"))
        .body("identities[0].external_id", equalTo("tb-1001"))
        .body("created_at", notNullValue())
        .extract().jsonPath();
    long id = created.getLong("id");
    admin(tenant).get(CUSTOMERS + "/" + id).then().statusCode(200)
        .body("id", equalTo((int) id))
        .body("email", equalTo("Zhang.Wei@Example.com"))
        .body("birthday", equalTo("1990-05-01"))
        .body("age_band", equalTo("25-34"))
        .body("occupation", equalTo("engineer"));
    assertEquals(1, count("SELECT count(*) FROM customer WHERE tenant_id = ? AND phone_norm = '15212343170'"
        + " AND email_norm = 'zhang.wei@example.com'", tenant));
  }

  @Test
  void platformDefaultsToOwnSite() {
    String tenant = InternalTokens.newTenant("crud");
    admin(tenant).body("{\"name\": \"Li\"}").post(CUSTOMERS).then().statusCode(201)
        .body("platform", equalTo("own_site")).body("tags", empty()).body("attributes.size()", equalTo(0));
  }

  @Test
  void patchMergesFieldsAndAttributes() {
    String tenant = InternalTokens.newTenant("crud");
    long id = create(tenant, ZHANG);
    admin(tenant).body("""
            {"city": "宁波", "phone": null, "attributes": {"size": null, "pref": {"shoe": 42}}, "tags": ["gold"]}""")
        .patch(CUSTOMERS + "/" + id).then().statusCode(200)
        .body("city", equalTo("宁波"))
        .body("province", equalTo("浙江"))
        .body("name", equalTo("张伟"))
        .body("phone", nullValue())
        .body("attributes.size", nullValue())
        .body("attributes.pref.color", equalTo("red"))
        .body("attributes.pref.shoe", equalTo(42))
        .body("tags", contains("gold"));
    assertEquals(0, count("SELECT count(*) FROM customer WHERE tenant_id = ? AND phone_norm IS NOT NULL", tenant));
  }

  @Test
  void patchRejectsNullNameAndLeavesRowUnchanged() {
    String tenant = InternalTokens.newTenant("crud");
    long id = create(tenant, ZHANG);
    admin(tenant).body("{\"name\": null, \"city\": \"x\"}").patch(CUSTOMERS + "/" + id).then().statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("name"));
    admin(tenant).get(CUSTOMERS + "/" + id).then().body("city", equalTo("杭州"));
  }

  @Test
  void patchCannotChangeExternalIdOnceSet() {
    String tenant = InternalTokens.newTenant("crud");
    long id = create(tenant, ZHANG);
    admin(tenant).body("{\"external_id\": \"other\"}").patch(CUSTOMERS + "/" + id).then().statusCode(400)
        .body("errors[0].field", equalTo("external_id"));
  }

  @Test
  void onlyAdminDeletes() {
    String tenant = InternalTokens.newTenant("crud");
    long id = create(tenant, ZHANG);
    admin(tenant).body("{\"type\": \"view\"}").post(CUSTOMERS + "/" + id + "/events").then().statusCode(201);
    as(tenant, "marketer").delete(CUSTOMERS + "/" + id).then().statusCode(403)
        .contentType("application/problem+json");
    as(tenant, "analyst").delete(CUSTOMERS + "/" + id).then().statusCode(403);
    admin(tenant).delete(CUSTOMERS + "/" + id).then().statusCode(204);
    admin(tenant).get(CUSTOMERS + "/" + id).then().statusCode(404).contentType("application/problem+json");
    assertEquals(0, count("SELECT count(*) FROM customer_event WHERE tenant_id = ?", tenant));
    assertEquals(0, count("SELECT count(*) FROM customer_identity WHERE tenant_id = ?", tenant));
    // the external id is free again
    admin(tenant).body(ZHANG).post(CUSTOMERS).then().statusCode(201);
  }

  @Test
  void listPaginatesNewestFirstWithCursor() {
    String tenant = InternalTokens.newTenant("page");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(create(tenant, "{\"name\": \"c" + i + "\"}"));
    }
    List<Long> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var spec = admin(tenant).queryParam("limit", 2);
      if (cursor != null) {
        spec.queryParam("cursor", cursor);
      }
      JsonPath page = spec.get(CUSTOMERS).then().statusCode(200).extract().jsonPath();
      seen.addAll(page.getList("items.id", Long.class));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertEquals(3, pages);
    java.util.Collections.reverse(ids);
    assertEquals(ids, seen);
  }

  @Test
  void listFilters() {
    String tenant = InternalTokens.newTenant("filter");
    long zhang = create(tenant, ZHANG);
    long li = create(tenant, """
        {"name": "Li Na", "platform": "jd", "external_id": "jd-7", "email": "lina@shop.cn", "province": "上海",
         "city": "上海", "tags": ["vip"]}""");
    create(tenant, "{\"name\": \"Wang\", \"phone\": \"13800001111\"}");
    admin(tenant).queryParam("tag", "vip").get(CUSTOMERS).then().statusCode(200)
        .body("items.id", contains((int) li, (int) zhang));
    admin(tenant).queryParam("tag", "new").get(CUSTOMERS).then().body("items.id", contains((int) zhang));
    admin(tenant).queryParam("q", "lina@").get(CUSTOMERS).then().body("items.id", contains((int) li));
    admin(tenant).queryParam("q", "LI NA").get(CUSTOMERS).then().body("items.id", contains((int) li));
    admin(tenant).queryParam("q", "152 1234").get(CUSTOMERS).then().body("items.id", contains((int) zhang));
    admin(tenant).queryParam("q", "tb-10").get(CUSTOMERS).then().body("items.id", contains((int) zhang));
    admin(tenant).queryParam("q", "100%").get(CUSTOMERS).then().body("items", empty());
    admin(tenant).queryParam("province", "浙江").queryParam("city", "杭州").get(CUSTOMERS).then()
        .body("items.id", contains((int) zhang));
    admin(tenant).queryParam("platform", "jd").get(CUSTOMERS).then().body("items.id", contains((int) li));
    admin(tenant).queryParam("created_from", "2000-01-01").queryParam("created_to", "2999-01-01T00:00:00+08:00")
        .get(CUSTOMERS).then().body("items", hasSize(3));
    admin(tenant).queryParam("created_from", "2999-01-01").get(CUSTOMERS).then().body("items", empty());
    admin(tenant).queryParam("platform", "amazon").get(CUSTOMERS).then().statusCode(400)
        .body("errors[0].field", equalTo("platform"));
    admin(tenant).queryParam("limit", "0").get(CUSTOMERS).then().statusCode(400)
        .body("errors[0].field", equalTo("limit"));
    admin(tenant).queryParam("limit", "many").get(CUSTOMERS).then().statusCode(400);
    admin(tenant).queryParam("cursor", "garbage!").get(CUSTOMERS).then().statusCode(400);
    admin(tenant).queryParam("created_from", "yesterday").get(CUSTOMERS).then().statusCode(400)
        .body("errors[0].field", equalTo("created_from"));
  }

  @Test
  void tagCountsPerTenant() {
    String tenant = InternalTokens.newTenant("tags");
    long id = create(tenant, ZHANG);
    create(tenant, "{\"name\": \"B\", \"tags\": [\"vip\"]}");
    admin(tenant).body("{\"tags\": [\"gold\", \"vip\"]}").post(CUSTOMERS + "/" + id + "/tags").then().statusCode(200)
        .body("tags", contains("gold", "new", "vip"));
    admin(tenant).delete(CUSTOMERS + "/" + id + "/tags/new").then().statusCode(204);
    admin(tenant).get(CUSTOMERS + "/tags").then().statusCode(200)
        .body("items.tag", contains("vip", "gold"))
        .body("items.count", contains(2, 1));
    admin(tenant).body("{\"tags\": []}").post(CUSTOMERS + "/" + id + "/tags").then().statusCode(400);
  }

  @Test
  void analystSeesMaskedPiiAndCannotWrite() {
    String tenant = InternalTokens.newTenant("analyst");
    long id = create(tenant, """
        {"name": "Zhou", "phone": "15212343170", "email": "zhou@example.com", "external_id": "x1"}""");
    create(tenant, "{\"name\": \"Dup\", \"phone\": \"152-1234-3170\"}");
    as(tenant, "analyst").get(CUSTOMERS + "/" + id).then().statusCode(200)
        .body("phone", equalTo("152****3170"))
        .body("email", equalTo("z***@example.com"))
        .body("name", equalTo("Zhou"));
    as(tenant, "analyst").get(CUSTOMERS).then().statusCode(200)
        .body("items.phone", contains("152****3170", "152****3170"))
        .body("items.email", hasItem("z***@example.com"));
    as(tenant, "analyst").get(CUSTOMERS + "/" + id + "/duplicates").then().statusCode(200)
        .body("items[0].customer.phone", equalTo("152****3170"));
    as(tenant, "marketer").get(CUSTOMERS + "/" + id).then().body("phone", equalTo("15212343170"));
    as(tenant, "analyst").body("{\"name\": \"A\"}").post(CUSTOMERS).then().statusCode(403);
    as(tenant, "analyst").body("{\"city\": \"A\"}").patch(CUSTOMERS + "/" + id).then().statusCode(403);
    as(tenant, "analyst").body("{\"tags\": [\"a\"]}").post(CUSTOMERS + "/" + id + "/tags").then().statusCode(403);
    as(tenant, "analyst").body("{\"type\": \"view\"}").post(CUSTOMERS + "/" + id + "/events").then().statusCode(403);
    as(tenant, "analyst").body("{\"channel\": \"sms\", \"granted\": false}").put(CUSTOMERS + "/" + id + "/consent")
        .then().statusCode(403);
    as(tenant, "analyst").body("{\"customers\": []}").post(CUSTOMERS + "/batch").then().statusCode(403);
    as(tenant, "analyst").body("{\"survivor_id\": 1, \"merged_id\": 2}").post(CUSTOMERS + "/merge").then()
        .statusCode(403);
    assertEquals(2, count("SELECT count(*) FROM customer WHERE tenant_id = ?", tenant));
  }

  @Test
  void writesNeedAWriterRole() {
    String tenant = InternalTokens.newTenant("roles");
    for (String role : List.of("marketer", "agent", "integration")) {
      as(tenant, role).body("{\"name\": \"" + role + "\"}").post(CUSTOMERS).then().statusCode(201);
    }
    as(tenant).body("{\"name\": \"nobody\"}").post(CUSTOMERS).then().statusCode(403);
  }

  @Test
  void rejectsCallsWithoutValidToken() {
    given().contentType("application/json").body("{\"name\": \"x\"}").post(CUSTOMERS).then().statusCode(401);
    given().get(CUSTOMERS + "/1").then().statusCode(401);
    given().get(CUSTOMERS + "/tags").then().statusCode(401);
    given().header("Authorization", "Bearer x.y.z").get(CUSTOMERS + "/1/events").then().statusCode(401);
  }

  @Test
  void callWithoutTokenGetsTheSameProblemAsABadToken() {
    for (String authorization : new String[] {null, "Bearer", "Bearer   ", "Basic YWRtaW46YWRtaW4=", "Bearer x.y.z"}) {
      var request = given().accept("application/json");
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      request.get(CUSTOMERS).then().statusCode(401)
          .contentType("application/problem+json")
          .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"))
          .body("status", org.hamcrest.Matchers.equalTo(401))
          .body("title", org.hamcrest.Matchers.equalTo("Unauthorized"));
    }
    // outside /api the probes stay open
    given().get("/q/health/live").then().statusCode(200);
  }

  @Test
  void duplicateExternalIdIsConflict() {
    String tenant = InternalTokens.newTenant("dup");
    long id = create(tenant, ZHANG);
    admin(tenant).body(ZHANG).post(CUSTOMERS).then().statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("id " + id));
    // same external id on another platform is another buyer
    admin(tenant).body("{\"name\": \"x\", \"external_id\": \"tb-1001\", \"platform\": \"jd\"}").post(CUSTOMERS)
        .then().statusCode(201);
    // and the same in another tenant is fine
    admin(InternalTokens.newTenant("dup")).body(ZHANG).post(CUSTOMERS).then().statusCode(201);
    assertEquals(2, count("SELECT count(*) FROM customer WHERE tenant_id = ?", tenant));
  }

  @Test
  void listsLikelyDuplicates() {
    String tenant = InternalTokens.newTenant("dups");
    long a = create(tenant, "{\"name\": \"A\", \"phone\": \"+8615212343170\", \"email\": \"a@x.cn\"}");
    long b = create(tenant, "{\"name\": \"B\", \"phone\": \"152 1234 3170\"}");
    long c = create(tenant, "{\"name\": \"C\", \"email\": \"A@X.CN\"}");
    create(tenant, "{\"name\": \"D\", \"phone\": \"13900000000\"}");
    admin(tenant).get(CUSTOMERS + "/" + a + "/duplicates").then().statusCode(200)
        .body("items.customer.id", contains((int) b, (int) c))
        .body("items[0].matched_on", contains("phone"))
        .body("items[1].matched_on", contains("email"));
  }

  @Test
  void idempotentCreateReturnsFirstResultAndWritesOnce() {
    String tenant = InternalTokens.newTenant("idem");
    String body = "{\"name\": \"Once\", \"external_id\": \"o-1\", \"tags\": [\"t\"]}";
    long first = admin(tenant).header("Idempotency-Key", "k-1").body(body).post(CUSTOMERS).then().statusCode(201)
        .extract().jsonPath().getLong("id");
    admin(tenant).header("Idempotency-Key", "k-1").body(body).post(CUSTOMERS).then().statusCode(201)
        .header("Idempotent-Replayed", "true")
        .header("Location", containsString("/" + first))
        .body("id", equalTo((int) first))
        .body("tags", contains("t"));
    assertEquals(1, count("SELECT count(*) FROM customer WHERE tenant_id = ?", tenant));
    assertEquals(1, count("SELECT count(*) FROM customer_tag WHERE tenant_id = ?", tenant));
    admin(tenant).header("Idempotency-Key", "k-1").body("{\"name\": \"Other\"}").post(CUSTOMERS).then()
        .statusCode(422).contentType("application/problem+json");
    // the same key in another tenant is another key
    admin(InternalTokens.newTenant("idem")).header("Idempotency-Key", "k-1").body(body).post(CUSTOMERS).then()
        .statusCode(201).header("Idempotent-Replayed", nullValue());
    // a failed call does not burn the key
    admin(tenant).header("Idempotency-Key", "k-2").body("{\"name\": \"x\", \"external_id\": \"o-1\"}")
        .post(CUSTOMERS).then().statusCode(409);
    admin(tenant).header("Idempotency-Key", "k-2").body("{\"name\": \"x\", \"external_id\": \"o-2\"}")
        .post(CUSTOMERS).then().statusCode(201);
  }

  @Test
  void concurrentRetriesWithOneKeyCreateOneCustomer() throws Exception {
    String tenant = InternalTokens.newTenant("idem");
    String body = "{\"name\": \"Racer\"}";
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Long>> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ids.add(pool.submit(() -> admin(tenant).header("Idempotency-Key", "race").body(body).post(CUSTOMERS)
            .then().statusCode(201).extract().jsonPath().getLong("id")));
      }
      long first = ids.get(0).get();
      for (var id : ids) {
        assertEquals(first, id.get());
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(1, count("SELECT count(*) FROM customer WHERE tenant_id = ?", tenant));
  }

  @Test
  void unknownFieldIsBadRequestNamingIt() {
    String tenant = InternalTokens.newTenant("bad");
    admin(tenant).body("{\"name\": \"x\", \"nickname\": \"y\"}").post(CUSTOMERS).then().statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("nickname"));
    admin(tenant).body("{\"name\": \"x\", \"attributes\": {\"any\": 1}, \"shoe\": 1}").post(CUSTOMERS).then()
        .statusCode(400).body("errors[0].field", equalTo("shoe"));
    assertEquals(0, count("SELECT count(*) FROM customer WHERE tenant_id = ?", tenant));
  }

  @Test
  void wrongTypeIsBadRequestNamingTheField() {
    String tenant = InternalTokens.newTenant("bad");
    admin(tenant).body("{\"name\": 42}").post(CUSTOMERS).then().statusCode(400)
        .contentType("application/problem+json").body("errors[0].field", equalTo("name"));
    admin(tenant).body("{\"name\": \"x\", \"tags\": \"vip\"}").post(CUSTOMERS).then().statusCode(400)
        .body("errors[0].field", equalTo("tags"));
    admin(tenant).body("{\"name\": \"x\", \"birthday\": \"01/05/1990\"}").post(CUSTOMERS).then().statusCode(400)
        .body("errors[0].field", equalTo("birthday"));
    admin(tenant).body("{\"name\": \"x\", \"gender\": \"robot\"}").post(CUSTOMERS).then().statusCode(400)
        .body("errors[0].field", equalTo("gender"));
    admin(tenant).body("{\"name\": \"x\", \"attributes\": [1]}").post(CUSTOMERS).then().statusCode(400)
        .body("errors[0].field", equalTo("attributes"));
    admin(tenant).body("{\"name\": \"x\"").post(CUSTOMERS).then().statusCode(400)
        .contentType("application/problem+json");
    long id = create(tenant, "{\"name\": \"y\"}");
    admin(tenant).body("{\"city\": 7}").patch(CUSTOMERS + "/" + id).then().statusCode(400)
        .body("errors[0].field", equalTo("city"));
    admin(tenant).body("{\"town\": \"a\"}").patch(CUSTOMERS + "/" + id).then().statusCode(400)
        .body("errors[0].field", equalTo("town"));
    assertEquals(1, count("SELECT count(*) FROM customer WHERE tenant_id = ?", tenant));
  }

  @Test
  void validationErrorsListEveryField() {
    String tenant = InternalTokens.newTenant("bad");
    admin(tenant).body("{\"name\": \" \", \"email\": \"not-mail\", \"phone\": \"abc\", \"birthday\": \"2999-01-01\"}")
        .post(CUSTOMERS).then().statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", contains("birthday", "email", "name", "phone"));
  }

  @Test
  void oversizeBodyIsRejected() {
    String tenant = InternalTokens.newTenant("big");
    String huge = "{\"name\": \"x\", \"attributes\": {\"blob\": \"" + "a".repeat(2 * 1024 * 1024 + 10) + "\"}}";
    admin(tenant).body(huge).post(CUSTOMERS).then().statusCode(413)
        .contentType("application/problem+json")
        .body("title", org.hamcrest.Matchers.equalTo("Payload too large"));
    assertEquals(0, count("SELECT count(*) FROM customer WHERE tenant_id = ?", tenant));
  }

  @Test
  void unknownCustomerIsNotFoundProblem() {
    String tenant = InternalTokens.newTenant("nf");
    admin(tenant).get(CUSTOMERS + "/999999999").then().statusCode(404).contentType("application/problem+json")
        .body("status", equalTo(404));
  }
}
