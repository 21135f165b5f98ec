package com.shopcrm.order.privacy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.common.auth.InternalTokenIssuer;
import com.shopcrm.common.auth.PemKeys;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import com.shopcrm.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The internal export and erase customer-service calls (docs/PRIVACY.md), on the real database: what
 * the export holds, no buyer data left after an erase while amounts stay, idempotency, another
 * tenant's token, and service tokens only.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_order_test"))
class OrderPrivacyTest {

  static final String ORDERS = "/api/v1/orders";
  static final String EXPORT = "/api/v1/privacy/customers/export";
  static final String ERASE = "/api/v1/privacy/customers/erase";
  static final InternalTokenIssuer SERVICE = new InternalTokenIssuer(
      PemKeys.readPrivateKey("classpath:crm-test-keys/privateKey.pem"), "crm-test", Duration.ofSeconds(60));

  static RequestSpecification service(String tenant) {
    return given().contentType(ContentType.JSON).header("Authorization",
        "Bearer " + SERVICE.sign("service:customer-service", tenant, Set.of("integration")));
  }

  static RequestSpecification admin(String tenant) {
    return given().contentType(ContentType.JSON).header("Authorization", InternalTokens.bearer(tenant, "admin"));
  }

  /** An order of the buyer with contact details, an item, a refund and a review. */
  static long order(String tenant, String orderNo, String buyer) {
    long id = admin(tenant).body("""
            {"order_no": "%s", "customer_external_id": "%s", "ordered_at": "2024-03-01T10:15:00+08:00",
             "status": "completed", "total_amount": 100.00, "customer_name": "张三", "customer_phone": "15212343170",
             "customer_email": "zhang@example.com", "province": "浙江省", "city": "杭州市",
             "items": [{"sku": "TEA-1", "product_name": "Tea", "quantity": 2, "unit_price": 50.00}]}"""
            .formatted(orderNo, buyer))
        .post(ORDERS).then().statusCode(201).extract().jsonPath().getLong("id");
    admin(tenant).body("{\"rating\": 2, \"text\": \"张三 says: slow delivery to 西湖区\"}")
        .post(ORDERS + "/" + id + "/reviews").then().statusCode(201);
    admin(tenant).body("{\"amount\": 20.00, \"reason\": \"call 15212343170\", \"type\": \"refund\"}")
        .post(ORDERS + "/" + id + "/refunds").then().statusCode(201);
    return id;
  }

  static String who(long customerId, String buyer) {
    return """
        {"customer_ids": [%d], "identities": [{"platform": "own_site", "external_id": "%s"}]}"""
        .formatted(customerId, buyer);
  }

  static long customerId(String tenant, long orderId) {
    return admin(tenant).get(ORDERS + "/" + orderId).then().statusCode(200).extract().jsonPath()
        .getLong("customer_id");
  }

  @Test
  void exportsTheCustomersOrdersWithItemsRefundsAndReviews() {
    String tenant = InternalTokens.newTenant("privacy");
    String buyer = tenant + "-buyer";
    long id = order(tenant, "P-1", buyer);
    order(tenant, "P-2", tenant + "-other");
    long customer = customerId(tenant, id);

    service(tenant).body(who(customer, buyer)).post(EXPORT).then().statusCode(200)
        .body("orders", hasSize(1))
        .body("orders[0].order_no", equalTo("P-1"))
        .body("orders[0].customer_phone", equalTo("15212343170"))
        .body("orders[0].items[0].sku", equalTo("TEA-1"))
        .body("orders[0].refunds[0].reason", equalTo("call 15212343170"))
        .body("orders[0].reviews[0].text", equalTo("张三 says: slow delivery to 西湖区"))
        .body("orders[0].tenant_id", nullValue());
    // by identity alone (a buyer not resolved to an id yet)
    service(tenant).body(who(-1, buyer)).post(EXPORT).then().statusCode(200).body("orders", hasSize(1));
  }

  @Test
  void eraseLeavesNoBuyerDataButKeepsAmountsAndIsIdempotent() {
    String tenant = InternalTokens.newTenant("privacy");
    String buyer = tenant + "-buyer";
    long id = order(tenant, "E-1", buyer);
    long other = order(tenant, "E-2", tenant + "-other");
    long customer = customerId(tenant, id);

    service(tenant).body(who(customer, buyer)).post(ERASE).then().statusCode(200)
        .body("service", equalTo("order-service"))
        .body("orders", equalTo(1)).body("reviews", equalTo(1)).body("refunds", equalTo(1))
        .body("events", equalTo(2));

    assertEquals(0, count("""
        SELECT count(*) FROM orders WHERE tenant_id = ? AND id = ? AND (customer_name IS NOT NULL
           OR customer_phone IS NOT NULL OR customer_email IS NOT NULL OR province IS NOT NULL OR city IS NOT NULL
           OR customer_external_id IS NOT NULL OR customer_id IS NOT NULL OR NOT anonymous)""", tenant, id));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND id = ? AND total_amount = 100.00"
        + " AND refunded_amount = 20.00", tenant, id), "amounts kept for accounting");
    assertEquals(1, count("SELECT count(*) FROM order_item WHERE tenant_id = ? AND order_id = ?", tenant, id));
    assertEquals(0, count("SELECT count(*) FROM order_review WHERE tenant_id = ? AND order_id = ? AND text IS NOT NULL",
        tenant, id));
    assertEquals(0, count("SELECT count(*) FROM order_refund WHERE tenant_id = ? AND order_id = ?"
        + " AND reason LIKE '%1521234%'", tenant, id));
    assertEquals(0, count("""
        SELECT count(*) FROM order_event WHERE tenant_id = ? AND order_id = ?
           AND (customer_id IS NOT NULL OR customer_external_id IS NOT NULL OR payload::text LIKE '%张三%'
                OR payload::text LIKE ? OR payload::text LIKE '%杭州%')""", tenant, id, "%" + buyer + "%"));
    assertEquals(0, count("SELECT count(*) FROM idempotency_key WHERE tenant_id = ? AND response_body LIKE ?",
        tenant, "%15212343170%"));
    // the other buyer's order is untouched
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND id = ? AND customer_name = '张三'"
        + " AND customer_id IS NOT NULL", tenant, other));
    service(tenant).body(who(customer, buyer)).post(EXPORT).then().statusCode(200).body("orders", hasSize(0));

    service(tenant).body(who(customer, buyer)).post(ERASE).then().statusCode(200)
        .body("orders", equalTo(0)).body("reviews", equalTo(0)).body("refunds", equalTo(0)).body("events", equalTo(0));
  }

  @Test
  void anotherTenantsTokenSeesNothingAndChangesNothing() {
    String tenant = InternalTokens.newTenant("privacy");
    String buyer = tenant + "-buyer";
    long id = order(tenant, "T-1", buyer);
    long customer = customerId(tenant, id);
    String intruder = InternalTokens.newTenant("privacy");

    service(intruder).body(who(customer, buyer)).post(EXPORT).then().statusCode(200).body("orders", hasSize(0));
    service(intruder).body(who(customer, buyer)).post(ERASE).then().statusCode(200).body("orders", equalTo(0));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ? AND id = ? AND customer_name = '张三'"
        + " AND customer_phone IS NOT NULL AND customer_id = ?", tenant, id, customer));
  }

  @Test
  void onlyServiceTokensMayCallAndBadInputIsRefused() {
    String tenant = InternalTokens.newTenant("privacy");
    admin(tenant).body(who(1, "x")).post(ERASE).then().statusCode(403);
    given().contentType(ContentType.JSON).header("Authorization", InternalTokens.bearer(tenant, "integration"))
        .body(who(1, "x")).post(EXPORT).then().statusCode(403).contentType("application/problem+json");
    given().contentType(ContentType.JSON).body(who(1, "x")).post(ERASE).then().statusCode(401);
    service(tenant).body("{\"customer_ids\": []}").post(ERASE).then().statusCode(400)
        .contentType("application/problem+json");
    service(tenant).body("{\"identities\": [{\"platform\": \"own_site\"}]}").post(EXPORT).then().statusCode(400);
  }

  static long count(String sql, Object... args) {
    try (Connection c = TestDatabase.get().connect("crm_order_test"); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
