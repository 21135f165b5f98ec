package com.shopcrm.order.rest;

import static com.shopcrm.order.rest.Api.ORDERS;
import static com.shopcrm.order.rest.Api.admin;
import static com.shopcrm.order.rest.Api.count;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrderBatchTest {

  private static final String BATCH = ORDERS + "/batch";

  @Test
  void reportsBadItemsByIndexAndStoresTheRestWithOneCustomerCall() {
    String tenant = InternalTokens.newTenant("batch");
    String a = tenant + "-a";
    String b = tenant + "-b";
    admin(tenant).body(Api.order("OLD-1", a, "10")).post(ORDERS).then().statusCode(201);
    admin(tenant).body(Api.order("OLD-2", a, "10")).post(ORDERS).then().statusCode(201);
    admin(tenant).body("""
            {"orders": [
              %s,
              %s,
              %s,
              {"order_no": "N-3", "customer_external_id": "%s", "ordered_at": "2024-03-01T10:15:00+08:00",
               "total_amount": -1},
              %s,
              "not an object",
              {"order_no": "N-4", "customer_external_id": "%s", "ordered_at": "2024-03-01T10:15:00+08:00",
               "total_amount": 1, "colour": "red"},
              %s
            ]}""".formatted(Api.order("N-1", a, "10"), Api.order("N-2", b, "20"), Api.order("OLD-1", a, "10"), a,
            Api.order("N-1", a, "10"), a, Api.order("OLD-2", a, "99")))
        .post(BATCH).then().statusCode(200)
        .body("results", hasSize(8))
        .body("results.index", contains(0, 1, 2, 3, 4, 5, 6, 7))
        .body("results.status", contains("created", "created", "existing", "error", "error", "error", "error",
            "error"))
        .body("results[3].error", containsString("total_amount"))
        .body("results[4].error", containsString("item 0"))
        .body("results[6].error", containsString("colour"))
        .body("results[7].error", containsString("different content"))
        .body("results[0].customer_pending", equalTo(false));
    assertEquals(4, count("SELECT count(*) FROM orders WHERE tenant_id = ?", tenant));
    assertEquals(4, count("SELECT count(*) FROM order_event WHERE tenant_id = ?", tenant));
    List<Map<String, Object>> calls = Api.fakeCalls().getList("calls");
    List<Map<String, Object>> mine = calls.stream().filter(c -> c.toString().contains(b)).toList();
    assertEquals(1, mine.size(), "one customer-service call for the whole batch");
    assertEquals(2, ((List<?>) ((Map<?, ?>) mine.get(0).get("body")).get("customers")).size(),
        "the two distinct buyers of the new orders, once each");
  }

  @Test
  void acceptsAThousandOrdersAndRejectsMore() {
    String tenant = InternalTokens.newTenant("batch");
    String thousand = IntStream.range(0, 1000).mapToObj(i -> Api.order("M-" + i, tenant + "-m" + (i % 50), "1"))
        .collect(Collectors.joining(",", "{\"orders\": [", "]}"));
    admin(tenant).body(thousand).post(BATCH).then().statusCode(200).body("results", hasSize(1000));
    assertEquals(1000, count("SELECT count(*) FROM orders WHERE tenant_id = ?", tenant));
    String tooMany = IntStream.range(0, 1001).mapToObj(i -> "{}")
        .collect(Collectors.joining(",", "{\"orders\": [", "]}"));
    admin(tenant).body(tooMany).post(BATCH).then().statusCode(400).body("errors[0].field", equalTo("orders"));
  }

  @Test
  void batchIdempotencyKeyWritesOnce() {
    String tenant = InternalTokens.newTenant("batch");
    String body = "{\"orders\": [" + Api.order("I-1", tenant + "-i", "5") + "]}";
    admin(tenant).header("Idempotency-Key", "b-1").body(body).post(BATCH).then().statusCode(200)
        .body("results[0].status", equalTo("created"));
    admin(tenant).header("Idempotency-Key", "b-1").body(body).post(BATCH).then().statusCode(200)
        .header("Idempotent-Replayed", "true")
        .body("results[0].status", equalTo("created"));
    assertEquals(1, count("SELECT count(*) FROM orders WHERE tenant_id = ?", tenant));
  }
}
