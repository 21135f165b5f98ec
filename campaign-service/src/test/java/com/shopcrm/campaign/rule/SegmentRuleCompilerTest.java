package com.shopcrm.campaign.rule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.problem.ProblemException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentRuleCompilerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OffsetDateTime NOW = OffsetDateTime.parse("2025-06-10T12:00:00Z");

  private record Compiled(String sql, List<Object> args) {
  }

  private static Compiled compile(String rule) {
    return compile(rule, Map.of());
  }

  private static Compiled compile(String rule, Map<Long, String> saved) {
    List<Object> args = new ArrayList<>(List.of("tenant"));
    String sql = SegmentRuleCompiler.compile(tree(rule), id -> saved.containsKey(id) ? tree(saved.get(id)) : null,
        NOW, args);
    return new Compiled(sql, args);
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void comparisonsBindValuesAsTypedParametersAfterTheCallersOwn() {
    assertEquals("p.city = $2::text", compile("{\"field\":\"city\",\"op\":\"eq\",\"value\":\"上海\"}").sql());
    assertEquals(List.of("tenant", "上海"), compile("{\"field\":\"city\",\"op\":\"eq\",\"value\":\"上海\"}").args());
    assertEquals("p.city IS DISTINCT FROM $2::text", compile("{\"field\":\"city\",\"op\":\"neq\",\"value\":\"x\"}").sql());
    assertEquals("p.frequency > $2::bigint", compile("{\"field\":\"frequency\",\"op\":\"gt\",\"value\":3}").sql());
    assertEquals(3L, compile("{\"field\":\"frequency\",\"op\":\"gt\",\"value\":3}").args().get(1));
    assertEquals("p.predicted_clv_365d >= $2::numeric",
        compile("{\"field\":\"predicted_clv_365d\",\"op\":\"gte\",\"value\":500}").sql());
    assertEquals(new BigDecimal("0.25"), compile("{\"field\":\"p_alive\",\"op\":\"lt\",\"value\":0.25}").args().get(1));
    assertEquals("p.recency_days <= $2::bigint", compile("{\"field\":\"recency_days\",\"op\":\"lte\",\"value\":30}").sql());
    assertEquals("p.monetary BETWEEN $2::numeric AND $3::numeric",
        compile("{\"field\":\"monetary\",\"op\":\"between\",\"value\":[100, 200.5]}").sql());
    assertEquals("p.consent_sms = $2::boolean", compile("{\"field\":\"consent.sms\",\"op\":\"eq\",\"value\":true}").sql());
  }

  @Test
  void listsBindTextAsOneArrayAndNumbersAsParameters() {
    Compiled in = compile("{\"field\":\"rfm_segment\",\"op\":\"in\",\"value\":[\"important_value\",\"general_value\"]}");
    assertEquals("p.rfm_segment = ANY($2::text[])", in.sql());
    assertArrayEquals(new String[] {"important_value", "general_value"}, (String[]) in.args().get(1));
    assertEquals("NOT coalesce(p.tier = ANY($2::text[]), false)",
        compile("{\"field\":\"tier\",\"op\":\"not_in\",\"value\":[\"gold\"]}").sql());
    assertEquals("p.frequency IN ($2::bigint, $3::bigint)",
        compile("{\"field\":\"frequency\",\"op\":\"in\",\"value\":[1, 2]}").sql());
  }

  @Test
  void textContainsAndExists() {
    Compiled contains = compile("{\"field\":\"name\",\"op\":\"contains\",\"value\":\"50%_'\"}");
    assertEquals("strpos(p.name, $2::text) > 0", contains.sql());
    assertEquals("50%_'", contains.args().get(1));
    assertEquals("p.birthday IS NOT NULL", compile("{\"field\":\"birthday\",\"op\":\"exists\"}").sql());
    assertEquals("p.city IS NULL", compile("{\"field\":\"city\",\"op\":\"exists\",\"value\":false}").sql());
  }

  @Test
  void tagsUseArrayOperatorsTheGinIndexServes() {
    assertEquals("p.tags @> ARRAY[$2::text]", compile("{\"field\":\"tags\",\"op\":\"contains\",\"value\":\"vip\"}").sql());
    assertEquals("p.tags && $2::text[]", compile("{\"field\":\"tags\",\"op\":\"in\",\"value\":[\"a\",\"b\"]}").sql());
    assertEquals("NOT (p.tags && $2::text[])", compile("{\"field\":\"tags\",\"op\":\"not_in\",\"value\":[\"a\"]}").sql());
    assertEquals("cardinality(p.tags) > 0", compile("{\"field\":\"tags\",\"op\":\"exists\",\"value\":true}").sql());
  }

  @Test
  void relativeDatesAreCutoffsFromNow() {
    Compiled within = compile("{\"field\":\"last_order_at\",\"op\":\"within_last\",\"value\":30}");
    assertEquals("p.last_order_at >= $2::timestamptz", within.sql());
    assertEquals(NOW.minusDays(30), within.args().get(1));
    Compiled before = compile("{\"field\":\"birthday\",\"op\":\"before\",\"value\":10}");
    assertEquals("p.birthday < $2::date", before.sql());
    assertEquals(LocalDate.of(2025, 5, 31), before.args().get(1));
    Compiled between = compile("{\"field\":\"created_at\",\"op\":\"between\",\"value\":[\"2025-01-01\",\"2025-02-01T00:00:00+08:00\"]}");
    assertEquals(OffsetDateTime.parse("2025-01-01T00:00:00Z"), between.args().get(1));
  }

  @Test
  void behaviourEventsAreCorrelatedExistsSubqueries() {
    Compiled recent = compile("{\"field\":\"event.cart_abandon\",\"op\":\"within_last\",\"value\":3}");
    assertEquals("EXISTS (SELECT 1 FROM audience_event e WHERE e.tenant_id = p.tenant_id AND e.customer_id = "
        + "p.customer_id AND e.type = $2::text AND e.occurred_at >= $3::timestamptz)", recent.sql());
    assertEquals(List.of("tenant", "cart_abandon", NOW.minusDays(3)), recent.args());
    assertEquals("NOT EXISTS (SELECT 1 FROM audience_event e WHERE e.tenant_id = p.tenant_id AND e.customer_id = "
        + "p.customer_id AND e.type = $2::text)",
        compile("{\"field\":\"event.review\",\"op\":\"exists\",\"value\":false}").sql());
    assertEquals("EXISTS (SELECT 1 FROM audience_event e WHERE e.tenant_id = p.tenant_id AND e.customer_id = "
        + "p.customer_id AND e.type = $2::text AND e.occurred_at < $3::timestamptz)",
        compile("{\"field\":\"event.view\",\"op\":\"before\",\"value\":7}").sql());
  }

  @Test
  void treesNestWithNullSafeNegation() {
    Compiled fixed = compile("""
        {"all": [ {"field": "rfm_segment", "op": "in", "value": ["important_value"]},
          {"any": [ {"field": "tags", "op": "contains", "value": "vip"},
                    {"field": "predicted_clv_365d", "op": "gte", "value": 500} ]},
          {"not": {"field": "city", "op": "eq", "value": "上海"}} ]}""");
    assertEquals("(p.rfm_segment = ANY($2::text[]) AND (p.tags @> ARRAY[$3::text] OR p.predicted_clv_365d >= "
        + "$4::numeric) AND NOT coalesce(p.city = $5::text, false))", fixed.sql());
    assertEquals(5, fixed.args().size());
  }

  @Test
  void valuesNeverReachTheSqlText() {
    Compiled hostile = compile("{\"field\":\"city\",\"op\":\"in\",\"value\":[\"x'); DROP TABLE segment; --\"]}");
    assertFalse(hostile.sql().contains("DROP"));
  }

  @Test
  void segmentReferencesInlineTheSavedRules() {
    Map<Long, String> saved = Map.of(7L, "{\"field\":\"tier\",\"op\":\"eq\",\"value\":\"gold\"}",
        8L, "{\"field\":\"segment\",\"op\":\"in\",\"value\":[7]}");
    assertEquals("((p.tier = $2::text))", compile("{\"field\":\"segment\",\"op\":\"in\",\"value\":[8]}", saved).sql());
    assertEquals("NOT coalesce((p.tier = $2::text OR false), false)",
        compile("{\"field\":\"segment\",\"op\":\"not_in\",\"value\":[7, 99]}", saved).sql());
  }

  @Test
  void aReferenceBackToTheCompiledSegmentIsACycle() {
    Map<Long, String> saved = Map.of(7L, "{\"field\":\"segment\",\"op\":\"in\",\"value\":[8]}");
    List<Object> args = new ArrayList<>();
    assertThrows(ProblemException.class, () -> SegmentRuleCompiler.compile(
        tree("{\"field\":\"segment\",\"op\":\"in\",\"value\":[7]}"),
        id -> saved.containsKey(id) ? tree(saved.get(id)) : null, NOW, args, 8L));
  }
}
