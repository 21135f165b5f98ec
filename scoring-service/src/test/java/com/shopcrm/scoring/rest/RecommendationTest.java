package com.shopcrm.scoring.rest;

import static com.shopcrm.scoring.rest.Api.EVENTS;
import static com.shopcrm.scoring.rest.Api.as;
import static com.shopcrm.scoring.rest.Api.batch;
import static com.shopcrm.scoring.rest.Api.count;
import static com.shopcrm.scoring.rest.Api.exec;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 猜你喜欢 on a hand-made basket set (one order per customer; min support 2, cosine):
 * <pre>
 *   c1 A B C (A on two lines)   c2 A B C   c3 A B D   c4 A D   c5 B C   c6 C D E   c7 D E
 *   c8 F   c9 A   c10 B (cancelled: known, bought nothing)   two anonymous orders of F
 * </pre>
 * Buyers: A 5, B 4, C 4, D 4, E 2, F 1. Pairs with ≥ 2 common buyers: A-B 3/√20 = 0.670820,
 * A-C 2/√20 = 0.447214, A-D 2/√20 = 0.447214, B-C 3/√16 = 0.75, D-E 2/√8 = 0.707107 (B-D, C-D,
 * C-E have one). Best-sellers (counted orders with the SKU, of 11): A 5, B 4, C 4, D 4, F 3, E 2.
 * <ul>
 *   <li>c9 (A): B .670820, C .447214, D .447214 (tie: by sku), then best-sellers F, E.</li>
 *   <li>c4 (A, D): E .707107, B .670820, C .447214, then F.</li>
 *   <li>c5 (B, C): A = .670820 + .447214 = 1.118034 (summed), then best-sellers D, F, E.</li>
 *   <li>c10 and c8 (no neighbours): best-sellers only, never what they bought.</li>
 * </ul>
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_scoring_test"))
class RecommendationTest {

  static final String RECOMMENDATIONS = "/api/v1/recommendations/";

  /** Within 1e-6 of the value (rest-assured reads JSON decimals as floats). */
  static Matcher<Object> near(double expected, double tolerance) {
    return new CustomTypeSafeMatcher<>("a number within " + tolerance + " of " + expected) {
      @Override
      protected boolean matchesSafely(Object actual) {
        return actual instanceof Number n && Math.abs(n.doubleValue() - expected) <= tolerance;
      }
    };
  }

  static String order(String eventId, Long customerId, String orderNo, String status, String... skus) {
    List<String> items = new ArrayList<>();
    for (String sku : skus) {
      items.add("{\"line_no\": %d, \"sku\": \"%s\", \"product_name\": \"Product %s\", \"category\": \"cat-%s\", "
          .formatted(items.size() + 1, sku, sku, sku.toLowerCase()) + "\"quantity\": 1, \"unit_price\": 10.00}");
    }
    String customer = customerId == null ? "null" : customerId.toString();
    return """
        {"event_id": "%s", "type": "order.%s", "customer_id": %s, "order_no": "%s",
         "occurred_at": "2024-05-02T00:00:00Z", "seq": 1, "payload": {"order_no": "%s", "customer_id": %s,
         "ordered_at": "2024-05-01T10:00:00+08:00", "total_amount": %d, "refunded_amount": 0, "status": "%s",
         "items": [%s], "updated_at": "2024-05-02T00:00:00Z"}}"""
        .formatted(eventId, status, customer, orderNo, orderNo, customer, 10 * skus.length, status,
            String.join(",", items));
  }

  static String seed() {
    String shop = InternalTokens.newTenant("reco");
    as(shop, "integration").body(batch(
            order("e1", 1L, "O-1", "completed", "A", "B", "C", "A"),
            order("e2", 2L, "O-2", "completed", "A", "B", "C"),
            order("e3", 3L, "O-3", "completed", "A", "B", "D"),
            order("e4", 4L, "O-4", "completed", "A", "D"),
            order("e5", 5L, "O-5", "completed", "B", "C"),
            order("e6", 6L, "O-6", "completed", "C", "D", "E"),
            order("e7", 7L, "O-7", "completed", "D", "E"),
            order("e8", 8L, "O-8", "completed", "F"),
            order("e9", 9L, "O-9", "completed", "A"),
            order("e10", 10L, "O-10", "cancelled", "B"),
            order("e11", null, "O-11", "completed", "F"),
            order("e12", null, "O-12", "completed", "F")))
        .post(EVENTS).then().statusCode(200).body("applied", equalTo(12));
    as(shop, "admin").post(RECOMMENDATIONS + "refresh").then().statusCode(200)
        .body("skus", equalTo(6)).body("pairs", equalTo(10)); // 5 pairs, both directions
    return shop;
  }

  @Test
  void ranksBySimilarityToWhatTheCustomerBoughtThenBestSellers() {
    String shop = seed();
    as(shop, "agent").get(RECOMMENDATIONS + "9").then().statusCode(200)
        .body("customer_id", equalTo(9))
        .body("items.sku", contains("B", "C", "D", "F", "E"))
        .body("items.reason", contains("bought_together", "bought_together", "bought_together", "best_seller",
            "best_seller"))
        .body("items[0].score", near(0.670820, 1e-6))
        .body("items[1].score", near(0.447214, 1e-6))
        .body("items[3].score", near(3 / 11.0, 1e-6))
        .body("items[0].product_name", equalTo("Product B"))
        .body("items[0].category", equalTo("cat-b"));
    as(shop, "agent").get(RECOMMENDATIONS + "4").then().statusCode(200)
        .body("items.sku", contains("E", "B", "C", "F"))
        .body("items[0].score", near(0.707107, 1e-6));
  }

  @Test
  void sumsSimilaritiesOverTheCustomersItemsAndHonoursTheLimit() {
    String shop = seed();
    as(shop, "analyst").get(RECOMMENDATIONS + "5").then().statusCode(200)
        .body("items.sku", contains("A", "D", "F", "E"))
        .body("items[0].score", near(1.118034, 1e-6));
    as(shop, "analyst").queryParam("limit", 2).get(RECOMMENDATIONS + "5").then().statusCode(200)
        .body("items.sku", contains("A", "D"));
    as(shop, "analyst").queryParam("limit", 1).get(RECOMMENDATIONS + "9").then().statusCode(200)
        .body("items.sku", contains("B"));
  }

  @Test
  void neverRecommendsWhatTheCustomerBought() {
    String shop = seed();
    for (long c = 1; c <= 9; c++) {
      List<String> skus = as(shop, "analyst").get(RECOMMENDATIONS + c).then().statusCode(200)
          .extract().jsonPath().getList("items.sku", String.class);
      long customer = c;
      for (String sku : skus) {
        assertEquals(0, count("""
            SELECT count(*) FROM purchase_item i JOIN purchase_fact f USING (tenant_id, order_no)
             WHERE f.tenant_id = ? AND f.customer_id = ? AND f.counted AND i.sku = ?""", shop, customer, sku),
            "customer " + c + " bought " + sku);
      }
    }
  }

  @Test
  void customerWithoutNeighboursOrCountedPurchasesGetsBestSellers() {
    String shop = seed();
    // F has no neighbour: best-sellers without F
    as(shop, "analyst").get(RECOMMENDATIONS + "8").then().statusCode(200)
        .body("items.sku", contains("A", "B", "C", "D", "E"))
        .body("items.reason", contains("best_seller", "best_seller", "best_seller", "best_seller", "best_seller"))
        .body("items[0].score", near(5 / 11.0, 1e-6));
    // only a cancelled order: known, nothing bought
    as(shop, "analyst").get(RECOMMENDATIONS + "10").then().statusCode(200)
        .body("items.sku", contains("A", "B", "C", "D", "F", "E"));
  }

  @Test
  void unknownCustomerAndOtherTenantSeeNotFound() {
    String shop = seed();
    as(shop, "analyst").get(RECOMMENDATIONS + "99").then().statusCode(404)
        .contentType("application/problem+json").body("detail", containsString("99"));
    String other = InternalTokens.newTenant("reco-other");
    as(other, "analyst").get(RECOMMENDATIONS + "9").then().statusCode(404);
  }

  @Test
  void tenantsDoNotShareSimilarities() {
    String shop = seed();
    String other = InternalTokens.newTenant("reco-iso");
    as(other, "integration").body(batch(
            order("x1", 1L, "O-1", "completed", "A", "Z"),
            order("x2", 2L, "O-2", "completed", "A", "Z"),
            order("x3", 9L, "O-3", "completed", "A")))
        .post(EVENTS).then().statusCode(200);
    as(other, "admin").post(RECOMMENDATIONS + "refresh").then().statusCode(200).body("pairs", equalTo(2));
    as(other, "analyst").get(RECOMMENDATIONS + "9").then().statusCode(200)
        .body("items.sku", contains("Z"))
        .body("items[0].score", near(2 / Math.sqrt(6), 1e-6));
    as(shop, "analyst").get(RECOMMENDATIONS + "9").then().statusCode(200)
        .body("items.sku", contains("B", "C", "D", "F", "E"));
  }

  /** New arrivals NEW1 (cat-d) and NEW2 (a new category), and the known B and E, in that order. */
  static final String PICK_PRODUCTS = """
      [{"sku": "NEW1", "name": "New One", "category": "cat-d"}, {"sku": "B"},
       {"sku": "NEW2", "name": "New Two", "category": "cat-zz"}, {"sku": "E"}]""";

  @Test
  void picksAmongGivenProductsBySimilarityThenCategoryThenTheGivenOrder() {
    String shop = seed();
    var answer = as(shop, "integration")
        .body("{\"customer_ids\": [9, 7, 99], \"products\": " + PICK_PRODUCTS + ", \"limit\": 3}")
        .post(RECOMMENDATIONS + "picks").then().statusCode(200)
        .body("items.customer_id", contains(9, 7, 99))
        // c9 bought A: B is bought together with A (.670820), the rest has no signal: given order
        .body("items[0].products.sku", contains("B", "NEW1", "NEW2"))
        .body("items[0].products.reason", contains("bought_together", "new_arrival", "new_arrival"))
        .body("items[0].products[0].score", near(0.670820, 1e-6))
        .body("items[0].products[0].product_name", equalTo("Product B"))
        .body("items[0].products[1].product_name", equalTo("New One"))
        // c7 bought D and E: half its purchases are in cat-d, so NEW1 first; E never (bought)
        .body("items[1].products.sku", contains("NEW1", "B", "NEW2"))
        .body("items[1].products[0].reason", equalTo("same_category"))
        .body("items[1].products[0].score", near(0.5, 1e-9))
        // no orders at all: the given order
        .body("items[2].products.sku", contains("NEW1", "B", "NEW2"))
        .extract().jsonPath();
    assertEquals("cat-d", answer.getString("items[2].products[0].category"));
    as(shop, "marketer").body("{\"customer_ids\": [9], \"products\": " + PICK_PRODUCTS + ", \"limit\": 1}")
        .post(RECOMMENDATIONS + "picks").then().statusCode(200).body("items[0].products.sku", contains("B"));
  }

  @Test
  void picksSeeOnlyTheCallersShopAndRejectBadRequests() {
    seed();
    String other = InternalTokens.newTenant("reco-picks");
    as(other, "integration").body("{\"customer_ids\": [9], \"products\": " + PICK_PRODUCTS + "}")
        .post(RECOMMENDATIONS + "picks").then().statusCode(200)
        .body("items[0].products.sku", contains("NEW1", "B", "NEW2"))
        .body("items[0].products.reason", contains("new_arrival", "new_arrival", "new_arrival"));
    as(other, "integration").body("{\"customer_ids\": [], \"products\": [{\"sku\": \"A\"}, {\"sku\": \"A\"}],"
            + " \"limit\": 0}")
        .post(RECOMMENDATIONS + "picks").then().statusCode(400).contentType("application/problem+json")
        .body("errors.field", contains("customer_ids", "products[1].sku", "limit"));
    as(other, "integration").body("{\"customer_ids\": [1]}").post(RECOMMENDATIONS + "picks").then().statusCode(400)
        .body("errors.field", contains("products"));
    as(other, "agent").body("{\"customer_ids\": [9], \"products\": " + PICK_PRODUCTS + "}")
        .post(RECOMMENDATIONS + "picks").then().statusCode(403);
  }

  @Test
  void rejectsLimitOutsideOneToHundred() {
    String shop = seed();
    for (String bad : new String[] {"0", "101", "-1", "ten"}) {
      as(shop, "analyst").queryParam("limit", bad).get(RECOMMENDATIONS + "9").then().statusCode(400)
          .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
    }
    as(shop, "analyst").queryParam("limit", 100).get(RECOMMENDATIONS + "9").then().statusCode(200);
  }

  @Test
  void fullRunRefreshesRecommendations() {
    String shop = InternalTokens.newTenant("reco-run");
    as(shop, "integration").body(batch(
            order("r1", 1L, "O-1", "completed", "P", "Q"),
            order("r2", 2L, "O-2", "completed", "P", "Q"),
            order("r3", 3L, "O-3", "completed", "P")))
        .post(EVENTS).then().statusCode(200);
    as(shop, "analyst").get(RECOMMENDATIONS + "3").then().statusCode(200).body("items.size()", equalTo(0));
    long id = Api.startRun(shop, "{}");
    io.restassured.path.json.JsonPath run = Api.awaitRun(shop, id);
    assertEquals("completed", run.getString("status"), run.prettify());
    as(shop, "analyst").get(RECOMMENDATIONS + "3").then().statusCode(200)
        .body("items.sku", contains("Q")).body("items[0].reason", equalTo("bought_together"));
  }

  @Test
  void redeliveredEventsBackfillItemsOfOlderFacts() {
    String shop = seed();
    // facts stored before items were kept: no items for O-4
    exec("DELETE FROM purchase_item WHERE tenant_id = ? AND order_no = 'O-4'", shop);
    as(shop, "integration").body(order("e4", 4L, "O-4", "completed", "A", "D")).post(EVENTS).then()
        .statusCode(200).body("duplicates", equalTo(1)).body("applied", equalTo(0));
    assertEquals(2, count("SELECT count(*) FROM purchase_item WHERE tenant_id = ? AND order_no = 'O-4'", shop));
    // a newer state replaces the items; an older redelivery then changes nothing
    String newer = order("e4b", 4L, "O-4", "completed", "A", "E").replace("2024-05-02T00:00:00Z",
        "2024-05-03T00:00:00Z");
    as(shop, "integration").body(newer).post(EVENTS).then().statusCode(200).body("applied", equalTo(1));
    as(shop, "integration").body(order("e4", 4L, "O-4", "completed", "A", "D")).post(EVENTS).then()
        .statusCode(200).body("duplicates", equalTo(1));
    assertEquals(1, count("""
        SELECT count(*) FROM purchase_item WHERE tenant_id = ? AND order_no = 'O-4' AND sku = 'E'""", shop));
    assertEquals(0, count("""
        SELECT count(*) FROM purchase_item WHERE tenant_id = ? AND order_no = 'O-4' AND sku = 'D'""", shop));
    assertEquals(2, count("""
        SELECT quantity FROM purchase_item WHERE tenant_id = ? AND order_no = 'O-1' AND sku = 'A'""", shop));
  }

  @Test
  void rejectsItemWithoutSku() {
    String shop = InternalTokens.newTenant("reco-bad");
    String bad = order("b1", 1L, "O-1", "completed", "A").replace("\"sku\": \"A\"", "\"sku\": \"\"");
    as(shop, "integration").body(bad).post(EVENTS).then().statusCode(400)
        .body("errors[0].field", equalTo("payload.items[0].sku"));
    assertEquals(0, count("SELECT count(*) FROM purchase_fact WHERE tenant_id = ?", shop));
  }
}
