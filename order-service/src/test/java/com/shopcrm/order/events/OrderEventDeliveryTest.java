package com.shopcrm.order.events;

import static com.shopcrm.order.events.Events.EVENTS;
import static com.shopcrm.order.events.Events.MEMBERSHIP;
import static com.shopcrm.order.events.Events.SCORING;
import static com.shopcrm.order.events.Events.admin;
import static com.shopcrm.order.events.Events.await;
import static com.shopcrm.order.events.Events.order;
import static com.shopcrm.order.events.Events.outbox;
import static com.shopcrm.order.events.Events.status;
import static com.shopcrm.order.events.Events.taken;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.order.FakeSubscribers;
import com.shopcrm.order.TestServiceTokens;
import com.shopcrm.testing.InternalTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FakeSubscribers.class)
class OrderEventDeliveryTest {

  private static final Duration WITHIN = Duration.ofSeconds(20);

  @Inject
  TestServiceTokens tokens;

  @BeforeEach
  void tokensAvailable() {
    tokens.enable(true);
  }

  @AfterEach
  void subscribersUp() {
    Events.subscribersDown(false);
  }

  /** Received event ids per order_no, in arrival order. */
  private static Map<String, List<String>> byOrder(List<Map<String, Object>> taken) {
    Map<String, List<String>> out = new HashMap<>();
    taken.forEach(e -> out.computeIfAbsent((String) e.get("order_no"), k -> new ArrayList<>())
        .add((String) e.get("event_id")));
    return out;
  }

  /** Outbox event ids per order_no, in seq order. */
  private static Map<String, List<String>> outboxByOrder(String tenant) {
    Map<String, List<String>> out = new HashMap<>();
    outbox(tenant).forEach(e -> out.computeIfAbsent(e[2], k -> new ArrayList<>()).add(e[1]));
    return out;
  }

  @Test
  void deliversEveryEventInOrderWithTheTenantsTokenAndTheConsumersBody() {
    String tenant = InternalTokens.newTenant("deliver");
    long a = order(tenant, "D-1", "buyer-1", "created", "100");
    status(tenant, a, "paid");
    status(tenant, a, "shipped");
    status(tenant, a, "completed");
    order(tenant, "D-2", "buyer-2", "completed", "80");
    long b = order(tenant, "D-3", "buyer-1", "created", "20");
    status(tenant, b, "cancelled");
    int total = outbox(tenant).size();
    assertEquals(6, total);

    await("scoring to take all events", WITHIN, () -> taken(tenant, SCORING).size() >= total);
    List<Map<String, Object>> scoring = taken(tenant, SCORING);
    assertEquals(total, scoring.size(), "each event once");
    assertEquals(outboxByOrder(tenant), byOrder(scoring), "in seq order per order");
    // per customer: buyer-1's events arrive in seq order across its two orders
    List<String> buyer1 = outbox(tenant).stream().filter(e -> !e[2].equals("D-2")).map(e -> e[1]).toList();
    assertEquals(buyer1, scoring.stream().filter(e -> !"D-2".equals(e.get("order_no")))
        .map(e -> (String) e.get("event_id")).toList());
    Map<String, Object> first = scoring.get(0);
    assertEquals(first.get("event_id"), first.get("request_id"), "X-Request-Id is the event id");
    assertEquals(List.of("customer_id", "event_id", "occurred_at", "order_no", "payload", "type"), first.get("fields"));
    assertTrue(first.get("customer_id") instanceof Number, "customer id resolved through customer-service");

    // membership takes created (an order may arrive completed: D-2), completed and refunded events
    // of known customers; paid and cancelled do not reach it
    await("membership to take its four events", WITHIN, () -> taken(tenant, MEMBERSHIP).size() >= 4);
    List<Map<String, Object>> membership = taken(tenant, MEMBERSHIP);
    assertEquals(List.of("order.completed:D-1", "order.created:D-1", "order.created:D-2", "order.created:D-3"),
        membership.stream().map(e -> e.get("type") + ":" + e.get("order_no")).sorted().toList());

    admin(tenant).get(EVENTS + "/subscribers").then().statusCode(200)
        .body("find { it.name == 'scoring' }.lag", equalTo(0))
        .body("find { it.name == 'scoring' }.last_delivered_seq", equalTo(Integer.valueOf(outbox(tenant)
            .get(total - 1)[0])))
        .body("find { it.name == 'campaign' }.enabled", equalTo(false))
        .body("find { it.name == 'campaign' }.lag", equalTo(total));
  }

  @Test
  void eventsWaitWhileTheSubscriberIsDownAndArriveExactlyOnceInCustomerOrderWhenItIsBack() {
    String tenant = InternalTokens.newTenant("down");
    Events.subscribersDown(true);
    for (int i = 1; i <= 4; i++) {
      long id = order(tenant, "W-" + i, "buyer-" + (i % 2), "created", "10");
      status(tenant, id, "paid");
      status(tenant, id, "shipped");
      status(tenant, id, "completed");
    }
    int total = outbox(tenant).size();
    assertEquals(12, total);
    await("the dispatcher to back off", WITHIN, () -> admin(tenant).get(EVENTS + "/subscribers").then()
        .extract().jsonPath().getString("find { it.name == 'scoring' }.next_attempt_at") != null);
    assertEquals(0, taken(tenant, SCORING).size());
    admin(tenant).get(EVENTS + "/subscribers").then().statusCode(200)
        .body("find { it.name == 'scoring' }.lag", equalTo(total))
        .body("find { it.name == 'scoring' }.pending_retries", equalTo(0))
        .body("find { it.name == 'scoring' }.last_error", notNullValue());

    Events.subscribersDown(false);
    await("all events after the subscriber came back", WITHIN, () -> taken(tenant, SCORING).size() >= total);
    List<Map<String, Object>> scoring = taken(tenant, SCORING);
    Map<String, Long> perId = scoring.stream().collect(Collectors.groupingBy(e -> (String) e.get("event_id"),
        Collectors.counting()));
    assertEquals(total, perId.size(), "every event arrived");
    assertTrue(perId.values().stream().allMatch(n -> n == 1), "each exactly once: " + perId);
    for (String buyer : List.of("W-1,W-3", "W-2,W-4")) {
      List<String> orders = List.of(buyer.split(","));
      List<String> expected = outbox(tenant).stream().filter(e -> orders.contains(e[2])).map(e -> e[1]).toList();
      List<String> got = scoring.stream().filter(e -> orders.contains((String) e.get("order_no")))
          .map(e -> (String) e.get("event_id")).toList();
      assertEquals(expected, got, "a customer's events in seq order");
    }
    await("lag back to 0", WITHIN, () -> admin(tenant).get(EVENTS + "/subscribers").then().extract().jsonPath()
        .getInt("find { it.name == 'scoring' }.lag") == 0);
  }

  @Test
  void poisonEventIsSkippedRecordedAndReported() {
    String tenant = InternalTokens.newTenant("poison");
    order(tenant, "POISON-1", "buyer-p", "created", "10");
    order(tenant, "OK-2", "buyer-p", "created", "10");
    order(tenant, "DUP-3", "buyer-p", "created", "10");
    await("the events after the poison one", WITHIN, () -> taken(tenant, SCORING).size() >= 2);
    assertEquals(List.of("OK-2", "DUP-3"), taken(tenant, SCORING).stream().map(e -> e.get("order_no")).toList());
    admin(tenant).queryParam("status", "poison").get(EVENTS + "/deliveries").then().statusCode(200)
        .body("findAll { it.subscriber == 'scoring' }", hasSize(1))
        .body("find { it.subscriber == 'scoring' }.order_no", equalTo("POISON-1"))
        .body("find { it.subscriber == 'scoring' }.last_status", equalTo(422))
        .body("find { it.subscriber == 'scoring' }.type", equalTo("order.created"));
    admin(tenant).get(EVENTS + "/subscribers").then().statusCode(200)
        .body("find { it.name == 'scoring' }.poison", equalTo(1))
        .body("find { it.name == 'scoring' }.lag", equalTo(0));
    admin(tenant).queryParam("status", "lost").get(EVENTS + "/deliveries").then().statusCode(400);
  }

  @Test
  void sickEventIsParkedAndRetriedWhileOtherCustomersMoveOnAndItsCustomerWaits() {
    String tenant = InternalTokens.newTenant("sick");
    Events.sick("S-1", true);
    try {
      order(tenant, "S-1", "buyer-s", "created", "10");
      order(tenant, "S-2", "buyer-s", "created", "10");
      order(tenant, "T-1", "buyer-t", "created", "10");
      await("the other customer's event", WITHIN, () -> taken(tenant, SCORING).stream()
          .anyMatch(e -> "T-1".equals(e.get("order_no"))));
      assertTrue(taken(tenant, SCORING).stream().noneMatch(e -> "S-2".equals(e.get("order_no"))),
          "S-2 waits behind S-1");
      JsonPath parked = admin(tenant).queryParam("subscriber", "scoring").queryParam("status", "pending")
          .get(EVENTS + "/deliveries").then().statusCode(200).extract().jsonPath();
      assertEquals(List.of("S-1", "S-2"), parked.getList("order_no"));
      assertTrue(parked.getInt("[0].attempts") >= 1);
    } finally {
      Events.sick("S-1", false);
    }
    await("the parked events", WITHIN, () -> taken(tenant, SCORING).size() >= 3);
    List<String> s = taken(tenant, SCORING).stream().map(e -> (String) e.get("order_no"))
        .filter(n -> n.startsWith("S-")).toList();
    assertEquals(List.of("S-1", "S-2"), s);
    await("nothing parked", WITHIN, () -> admin(tenant).queryParam("status", "pending").get(EVENTS + "/deliveries")
        .then().extract().jsonPath().getList("$").isEmpty());
  }

  @Test
  void redeliverSendsTheTenantsEventsAgainFromASeqAndNoOtherTenants() {
    String tenant = InternalTokens.newTenant("redeliver");
    String other = InternalTokens.newTenant("redeliver-other");
    long id = order(tenant, "R-1", "buyer-r", "created", "10");
    status(tenant, id, "paid");
    order(tenant, "R-2", "buyer-r2", "created", "10");
    order(other, "R-1", "buyer-o", "created", "10");
    await("first delivery", WITHIN, () -> taken(tenant, SCORING).size() >= 3 && taken(other, SCORING).size() >= 1);
    List<String[]> events = outbox(tenant);
    long fromSeq = Long.parseLong(events.get(1)[0]);

    admin(tenant).body("{\"subscriber\": \"scoring\", \"from_seq\": " + fromSeq + "}").post(EVENTS + "/redeliver")
        .then().statusCode(200).body("events", equalTo(2)).body("subscriber", equalTo("scoring"));
    await("redelivery", WITHIN, () -> taken(tenant, SCORING).size() >= 5);
    List<String> ids = taken(tenant, SCORING).stream().map(e -> (String) e.get("event_id")).toList();
    assertEquals(List.of(events.get(0)[1], events.get(1)[1], events.get(2)[1], events.get(1)[1], events.get(2)[1]),
        ids);
    assertEquals(1, taken(other, SCORING).size(), "the other shop's events are not sent again");

    admin(tenant).body("{\"subscriber\": \"nobody\", \"from_seq\": 1}").post(EVENTS + "/redeliver")
        .then().statusCode(400);
    admin(tenant).body("{\"subscriber\": \"scoring\", \"from_seq\": -1}").post(EVENTS + "/redeliver")
        .then().statusCode(400);
    io.restassured.RestAssured.given().header("Authorization", InternalTokens.bearer(tenant, "analyst"))
        .contentType(io.restassured.http.ContentType.JSON).body("{\"subscriber\": \"scoring\", \"from_seq\": 1}").post(EVENTS + "/redeliver").then().statusCode(403);
  }

  @Test
  void replayFromAPointInTimeShowsOnlyTheTenantsEvents() {
    String tenant = InternalTokens.newTenant("replay");
    String other = InternalTokens.newTenant("replay-other");
    order(tenant, "P-1", "buyer-1", "created", "10");
    order(other, "P-1", "buyer-1", "created", "10");
    admin(tenant).queryParam("from", "2000-01-01").get(EVENTS).then().statusCode(200)
        .body("items.order_no", equalTo(List.of("P-1"))).body("next_after_seq", equalTo(null));
    admin(tenant).queryParam("from", "2999-01-01T00:00:00Z").get(EVENTS).then().statusCode(200)
        .body("items", hasSize(0));
    admin(tenant).queryParam("from", "yesterday").get(EVENTS).then().statusCode(400);
    order(tenant, "P-2", "buyer-1", "created", "10");
    order(tenant, "P-3", "buyer-1", "created", "10");
    int next = admin(tenant).queryParam("from", "2000-01-01").queryParam("limit", 2).get(EVENTS).then()
        .statusCode(200).body("items.order_no", equalTo(List.of("P-1", "P-2")))
        .body("next_after_seq", greaterThan(0)).extract().jsonPath().getInt("next_after_seq");
    admin(tenant).queryParam("from", "2000-01-01").queryParam("after_seq", next).get(EVENTS).then()
        .body("items.order_no", equalTo(List.of("P-3")));
    admin(other).get(EVENTS + "/subscribers").then().statusCode(200);
    admin(other).get(EVENTS).then().body("items.order_no", equalTo(List.of("P-1")));
  }
}
