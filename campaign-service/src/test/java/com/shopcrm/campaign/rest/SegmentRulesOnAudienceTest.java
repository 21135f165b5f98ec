package com.shopcrm.campaign.rest;

import static com.shopcrm.campaign.rest.SegmentApi.countRule;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every operator against a small hand-made audience: the compiled SQL gives the right customers. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class SegmentRulesOnAudienceTest {

  private String shop;

  private static String daysAgo(int days) {
    return OffsetDateTime.now(ZoneOffset.UTC).minusDays(days).toString();
  }

  /**
   * 1: Hangzhou VIP important_value, clv 800, sms yes, cart_abandon 1 day ago.
   * 2: Shanghai VIP important_value, clv 900, sms no.
   * 3: Beijing general_value, clv 120, tags new, frequency 1, view 10 days ago.
   * 4: city unknown, important_value, clv 50, no tags, nothing else.
   */
  @BeforeEach
  void audience() {
    shop = InternalTokens.newTenant("shop-rules");
    SegmentApi.syncProfiles(shop, """
        [{"customer_id": 1, "name": "张三", "city": "杭州", "province": "浙江", "tags": ["vip", "wine"],
          "rfm_segment": "important_value", "predicted_clv_365d": 800, "p_alive": 0.9, "frequency": 5,
          "consent_sms": true, "birthday": "1990-05-01", "last_order_at": "%s", "points_balance": 1200},
         {"customer_id": 2, "name": "李四", "city": "上海", "tags": ["vip"], "rfm_segment": "important_value",
          "predicted_clv_365d": 900, "p_alive": 0.5, "frequency": 3, "consent_sms": false,
          "birthday": "1985-01-20", "last_order_at": "%s"},
         {"customer_id": 3, "name": "王五", "city": "北京", "tags": ["new"], "rfm_segment": "general_value",
          "predicted_clv_365d": 120, "p_alive": 0.2, "frequency": 1, "last_order_at": "%s"},
         {"customer_id": 4, "rfm_segment": "important_value", "predicted_clv_365d": 50}]
        """.formatted(daysAgo(5), daysAgo(40), daysAgo(200)));
    SegmentApi.syncEvents(shop, """
        [{"customer_id": 1, "type": "cart_abandon", "occurred_at": "%s"},
         {"customer_id": 3, "type": "view", "occurred_at": "%s"}]""".formatted(daysAgo(1), daysAgo(10)));
  }

  private long count(String rule) {
    return countRule(shop, rule);
  }

  @Test
  void textOperators() {
    assertEquals(1, count("{\"field\":\"city\",\"op\":\"eq\",\"value\":\"上海\"}"));
    assertEquals(3, count("{\"field\":\"city\",\"op\":\"neq\",\"value\":\"上海\"}"), "unknown city is not 上海");
    assertEquals(2, count("{\"field\":\"city\",\"op\":\"in\",\"value\":[\"杭州\",\"北京\"]}"));
    assertEquals(2, count("{\"field\":\"city\",\"op\":\"not_in\",\"value\":[\"杭州\",\"北京\"]}"));
    assertEquals(1, count("{\"field\":\"name\",\"op\":\"contains\",\"value\":\"四\"}"));
    assertEquals(3, count("{\"field\":\"city\",\"op\":\"exists\"}"));
    assertEquals(1, count("{\"field\":\"city\",\"op\":\"exists\",\"value\":false}"));
  }

  @Test
  void numberOperators() {
    assertEquals(2, count("{\"field\":\"predicted_clv_365d\",\"op\":\"gt\",\"value\":500}"));
    assertEquals(2, count("{\"field\":\"predicted_clv_365d\",\"op\":\"gte\",\"value\":800}"));
    assertEquals(2, count("{\"field\":\"predicted_clv_365d\",\"op\":\"lt\",\"value\":800}"));
    assertEquals(3, count("{\"field\":\"predicted_clv_365d\",\"op\":\"lte\",\"value\":800}"));
    assertEquals(2, count("{\"field\":\"predicted_clv_365d\",\"op\":\"between\",\"value\":[100, 800.0]}"));
    assertEquals(1, count("{\"field\":\"p_alive\",\"op\":\"eq\",\"value\":0.5}"));
    assertEquals(2, count("{\"field\":\"frequency\",\"op\":\"in\",\"value\":[1, 5]}"));
    assertEquals(2, count("{\"field\":\"frequency\",\"op\":\"not_in\",\"value\":[1, 5]}"));
    assertEquals(3, count("{\"field\":\"frequency\",\"op\":\"neq\",\"value\":5}"));
    assertEquals(1, count("{\"field\":\"points_balance\",\"op\":\"exists\"}"));
  }

  @Test
  void dateOperators() {
    assertEquals(1, count("{\"field\":\"last_order_at\",\"op\":\"within_last\",\"value\":30}"));
    assertEquals(2, count("{\"field\":\"last_order_at\",\"op\":\"before\",\"value\":30}"));
    assertEquals(1, count("{\"field\":\"birthday\",\"op\":\"eq\",\"value\":\"1990-05-01\"}"));
    assertEquals(1, count("{\"field\":\"birthday\",\"op\":\"lt\",\"value\":\"1990-01-01\"}"));
    assertEquals(2, count("{\"field\":\"birthday\",\"op\":\"between\",\"value\":[\"1980-01-01\",\"1995-12-31\"]}"));
    assertEquals(3, count("{\"field\":\"last_order_at\",\"op\":\"gte\",\"value\":\"2000-01-01\"}"));
  }

  @Test
  void tagsAndConsent() {
    assertEquals(2, count("{\"field\":\"tags\",\"op\":\"contains\",\"value\":\"vip\"}"));
    assertEquals(2, count("{\"field\":\"tags\",\"op\":\"in\",\"value\":[\"wine\",\"new\"]}"));
    assertEquals(2, count("{\"field\":\"tags\",\"op\":\"not_in\",\"value\":[\"vip\"]}"));
    assertEquals(1, count("{\"field\":\"tags\",\"op\":\"exists\",\"value\":false}"));
    assertEquals(1, count("{\"field\":\"consent.sms\",\"op\":\"eq\",\"value\":true}"));
    assertEquals(3, count("{\"field\":\"consent.sms\",\"op\":\"neq\",\"value\":true}"));
  }

  @Test
  void behaviourEvents() {
    assertEquals(1, count("{\"field\":\"event.cart_abandon\",\"op\":\"within_last\",\"value\":3}"));
    assertEquals(0, count("{\"field\":\"event.view\",\"op\":\"within_last\",\"value\":3}"));
    assertEquals(1, count("{\"field\":\"event.view\",\"op\":\"before\",\"value\":3}"));
    assertEquals(1, count("{\"field\":\"event.view\",\"op\":\"exists\"}"));
    assertEquals(3, count("{\"field\":\"event.view\",\"op\":\"exists\",\"value\":false}"));
  }

  @Test
  void nestedAllAnyNotAsInTheFixedExample() {
    // important_value AND (vip OR clv >= 500) AND NOT city = 上海 -> only customer 1
    assertEquals(1, count("""
        {"all": [ {"field": "rfm_segment", "op": "in", "value": ["important_value"]},
          {"any": [ {"field": "tags", "op": "contains", "value": "vip"},
                    {"field": "predicted_clv_365d", "op": "gte", "value": 500} ]},
          {"not": {"field": "city", "op": "eq", "value": "上海"}} ]}"""));
    assertEquals(3, count("{\"any\": [{\"field\":\"tags\",\"op\":\"contains\",\"value\":\"vip\"},"
        + " {\"not\": {\"field\":\"city\",\"op\":\"exists\"}}]}"));
    assertEquals(2, count("{\"not\": {\"all\": [{\"field\":\"rfm_segment\",\"op\":\"eq\",\"value\":\"important_value\"},"
        + " {\"field\":\"p_alive\",\"op\":\"gte\",\"value\":0.5}]}}"));
  }
}
