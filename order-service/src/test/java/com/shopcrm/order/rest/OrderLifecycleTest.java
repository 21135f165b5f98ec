package com.shopcrm.order.rest;

import static com.shopcrm.order.rest.Api.ORDERS;
import static com.shopcrm.order.rest.Api.admin;
import static com.shopcrm.order.rest.Api.as;
import static com.shopcrm.order.rest.Api.count;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.order.TestClock;
import com.shopcrm.testing.InternalTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrderLifecycleTest {

  @Inject
  TestClock clock;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  private static void status(String tenant, long id, String status, int expected) {
    admin(tenant).body("{\"status\": \"" + status + "\"}").post(ORDERS + "/" + id + "/status")
        .then().statusCode(expected);
  }

  @Test
  void walksTheLifecycleAndWritesEventsInSequence() {
    String tenant = InternalTokens.newTenant("life");
    long id = Api.create(tenant, "L-1", "100", "created");
    admin(tenant).body("{\"status\": \"paid\"}").post(ORDERS + "/" + id + "/status").then().statusCode(200)
        .body("status", equalTo("paid")).body("paid_at", notNullValue());
    status(tenant, id, "paid", 200); // same status again: no-op, no event
    status(tenant, id, "shipped", 200);
    status(tenant, id, "completed", 200);
    long cancelled = Api.create(tenant, "L-2", "50", "created");
    status(tenant, cancelled, "cancelled", 200);

    admin(tenant).get(ORDERS + "/events").then().statusCode(200)
        .body("items.type", contains("order.created", "order.paid", "order.completed", "order.created",
            "order.cancelled"))
        .body("items.order_no", contains("L-1", "L-1", "L-1", "L-2", "L-2"))
        .body("items[1].payload.status", equalTo("paid"))
        .body("items[2].payload.items[0].sku", equalTo("SKU-1"))
        .body("items[0].event_id", notNullValue())
        .body("next_after_seq", nullValue());
    List<Integer> seqs = admin(tenant).get(ORDERS + "/events").then().extract().jsonPath().getList("items.seq");
    for (int i = 1; i < seqs.size(); i++) {
      org.junit.jupiter.api.Assertions.assertTrue(seqs.get(i) > seqs.get(i - 1), "seq increases");
    }
    // paging by after_seq
    int next = admin(tenant).queryParam("limit", 2).get(ORDERS + "/events").then().statusCode(200)
        .body("items", hasSize(2)).extract().jsonPath().getInt("next_after_seq");
    admin(tenant).queryParam("after_seq", next).queryParam("limit", 10).get(ORDERS + "/events").then()
        .body("items.type", contains("order.completed", "order.created", "order.cancelled"));
    admin(tenant).queryParam("limit", 0).get(ORDERS + "/events").then().statusCode(400);
  }

  @Test
  void rejectsInvalidTransitionsNamingThem() {
    String tenant = InternalTokens.newTenant("life");
    long id = Api.create(tenant, "V-1", "100", "created");
    admin(tenant).body("{\"status\": \"shipped\"}").post(ORDERS + "/" + id + "/status").then().statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("created to shipped"));
    status(tenant, id, "refunded", 409);
    status(tenant, id, "cancelled", 200);
    status(tenant, id, "paid", 409);
    admin(tenant).body("{\"status\": \"gone\"}").post(ORDERS + "/" + id + "/status").then().statusCode(400)
        .body("errors[0].field", equalTo("status"));
    assertEquals(2, count("SELECT count(*) FROM order_event WHERE tenant_id = ?", tenant));
    as(tenant, "analyst").body("{\"status\": \"paid\"}").post(ORDERS + "/" + id + "/status").then().statusCode(403);
  }

  @Test
  void refundsNeverExceedWhatWasPaid() {
    String tenant = InternalTokens.newTenant("life");
    long id = Api.create(tenant, "F-1", "100", "completed");
    admin(tenant).body("{\"amount\": 30, \"reason\": \"damaged\", \"type\": \"return\","
            + " \"items\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]}")
        .post(ORDERS + "/" + id + "/refunds").then().statusCode(201)
        .body("refund.amount", equalTo(30.0f))
        .body("refund.type", equalTo("return"))
        .body("order.status", equalTo("partially_refunded"))
        .body("order.refunded_amount", equalTo(30.0f));
    admin(tenant).body("{\"amount\": 70.01, \"reason\": \"more\", \"type\": \"refund\"}")
        .post(ORDERS + "/" + id + "/refunds").then().statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("70.00"));
    admin(tenant).body("{\"amount\": 1, \"reason\": \"x\", \"type\": \"return\","
            + " \"items\": [{\"sku\": \"NOPE\", \"quantity\": 1}]}")
        .post(ORDERS + "/" + id + "/refunds").then().statusCode(400).body("errors[0].field", equalTo("items[0].sku"));
    admin(tenant).body("{\"amount\": -5, \"reason\": \"x\", \"type\": \"refund\"}")
        .post(ORDERS + "/" + id + "/refunds").then().statusCode(400).body("errors[0].field", equalTo("amount"));
    admin(tenant).body("{\"amount\": 70, \"reason\": \"rest\", \"type\": \"refund\"}")
        .post(ORDERS + "/" + id + "/refunds").then().statusCode(201)
        .body("order.status", equalTo("refunded"));
    admin(tenant).get(ORDERS + "/" + id).then().body("refunds", hasSize(2)).body("refunded_amount", equalTo(100.0f));
    assertEquals(2, count("SELECT count(*) FROM order_event WHERE tenant_id = ? AND type = 'order.refunded'", tenant));

    long unpaid = Api.create(tenant, "F-2", "100", "created");
    admin(tenant).body("{\"amount\": 1, \"reason\": \"x\", \"type\": \"refund\"}")
        .post(ORDERS + "/" + unpaid + "/refunds").then().statusCode(409);
  }

  @Test
  void concurrentRefundsCannotOverdrawTheOrder() throws Exception {
    String tenant = InternalTokens.newTenant("life");
    long id = Api.create(tenant, "P-1", "100", "paid");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(() -> admin(tenant).body("{\"amount\": 40, \"reason\": \"race\", \"type\": \"refund\"}")
            .post(ORDERS + "/" + id + "/refunds").then().extract().statusCode());
      }
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(calls)) {
        codes.add(f.get());
      }
      assertEquals(2, codes.stream().filter(c -> c == 201).count(), codes.toString());
      assertEquals(2, codes.stream().filter(c -> c == 409).count(), codes.toString());
    } finally {
      pool.shutdown();
    }
    assertEquals(80, count("SELECT refunded_amount::int FROM orders WHERE tenant_id = ? AND id = ?", tenant, id));
  }

  @Test
  void allowsOneFollowUpReviewWithinThirtyDays() {
    String tenant = InternalTokens.newTenant("life");
    long id = Api.create(tenant, "W-1", "100", "completed");
    String reviews = ORDERS + "/" + id + "/reviews";
    admin(tenant).body("{\"rating\": 1, \"follow_up\": true}").post(reviews).then().statusCode(409);
    admin(tenant).body("{\"rating\": 5, \"text\": \"好\"}").post(reviews).then().statusCode(201)
        .body("rating", equalTo(5)).body("follow_up", equalTo(false));
    admin(tenant).body("{\"rating\": 4}").post(reviews).then().statusCode(409);
    admin(tenant).body("{\"rating\": 6}").post(reviews).then().statusCode(400).body("errors[0].field", equalTo("rating"));
    clock.advance(Duration.ofDays(29));
    admin(tenant).body("{\"rating\": 3, \"text\": \"追评\", \"follow_up\": true}").post(reviews).then().statusCode(201)
        .body("follow_up", equalTo(true));
    admin(tenant).body("{\"rating\": 3, \"follow_up\": true}").post(reviews).then().statusCode(409);
    admin(tenant).get(ORDERS + "/" + id).then().body("reviews.rating", contains(5, 3));

    long late = Api.create(tenant, "W-2", "100", "completed");
    admin(tenant).body("{\"rating\": 2}").post(ORDERS + "/" + late + "/reviews").then().statusCode(201);
    clock.advance(Duration.ofDays(31));
    admin(tenant).body("{\"rating\": 4, \"follow_up\": true}").post(ORDERS + "/" + late + "/reviews").then()
        .statusCode(409).body("title", equalTo("Follow-up window closed"));

    long unpaid = Api.create(tenant, "W-3", "100", "created");
    admin(tenant).body("{\"rating\": 2}").post(ORDERS + "/" + unpaid + "/reviews").then().statusCode(409);
  }
}
