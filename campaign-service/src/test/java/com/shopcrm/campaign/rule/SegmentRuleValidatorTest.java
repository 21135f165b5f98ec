package com.shopcrm.campaign.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.problem.Problem.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentRuleValidatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static SegmentRuleValidator.Result check(String rule) throws Exception {
    return SegmentRuleValidator.validate(JSON.readTree(rule), "rule");
  }

  private static List<FieldError> errors(String rule) throws Exception {
    return check(rule).errors();
  }

  @Test
  void acceptsTheFixedExampleRule() throws Exception {
    assertTrue(check("""
        {"all": [ {"field": "rfm_segment", "op": "in", "value": ["important_value"]},
          {"any": [ {"field": "tags", "op": "contains", "value": "vip"},
                    {"field": "predicted_clv_365d", "op": "gte", "value": 500} ]},
          {"not": {"field": "city", "op": "eq", "value": "上海"}} ]}""").valid());
  }

  @Test
  void namesAnOperatorThatDoesNotApplyToATextFieldWithItsPath() throws Exception {
    assertEquals(List.of(new FieldError("rule.all[1].any[0].op", "operator 'gt' does not apply to text field 'city'")),
        errors("{\"all\": [{\"field\":\"tier\",\"op\":\"exists\"},"
            + " {\"any\": [{\"field\":\"city\",\"op\":\"gt\",\"value\":\"a\"}]}]}"));
  }

  @Test
  void rejectsUnknownFieldsAndOperators() throws Exception {
    assertEquals(List.of(new FieldError("rule.field", "unknown field 'cty'")),
        errors("{\"field\":\"cty\",\"op\":\"eq\",\"value\":\"x\"}"));
    assertEquals(List.of(new FieldError("rule.not.op", "unknown operator 'like'")),
        errors("{\"not\": {\"field\":\"city\",\"op\":\"like\",\"value\":\"x\"}}"));
    assertEquals("rule.any[0].field", errors("{\"any\":[{\"field\":\"event.Bad-Type\",\"op\":\"exists\"}]}").get(0).field());
  }

  @Test
  void rejectsValuesOfTheWrongType() throws Exception {
    assertEquals(List.of(new FieldError("rule.value", "expected a number for number field 'predicted_clv_365d'")),
        errors("{\"field\":\"predicted_clv_365d\",\"op\":\"gte\",\"value\":\"500\"}"));
    assertEquals("rule.value", errors("{\"field\":\"frequency\",\"op\":\"eq\",\"value\":1.5}").get(0).field());
    assertEquals("rule.value[1]", errors("{\"field\":\"birthday\",\"op\":\"between\",\"value\":[\"2000-01-01\",\"soon\"]}")
        .get(0).field());
    assertEquals("rule.value", errors("{\"field\":\"event.cart_abandon\",\"op\":\"within_last\",\"value\":0}").get(0).field());
    assertEquals("rule.value", errors("{\"field\":\"consent.sms\",\"op\":\"eq\",\"value\":\"yes\"}").get(0).field());
    assertEquals("rule.value[0]", errors("{\"field\":\"segment\",\"op\":\"in\",\"value\":[\"7\"]}").get(0).field());
  }

  @Test
  void rejectsEmptyGroupsAndMalformedNodes() throws Exception {
    assertEquals(List.of(new FieldError("rule.all", "must hold at least one rule")), errors("{\"all\": []}"));
    assertEquals("rule.any[0]", errors("{\"any\": [42]}").get(0).field());
    assertEquals("rule", errors("{\"all\": [], \"any\": []}").get(0).field());
    assertEquals("rule.all[0].valu", errors("{\"all\":[{\"field\":\"city\",\"op\":\"exists\",\"valu\":1}]}").get(0).field());
  }

  @Test
  void limitsDepthAndListSize() throws Exception {
    String deep = "{\"field\":\"city\",\"op\":\"exists\"}";
    for (int i = 0; i < SegmentRuleValidator.MAX_DEPTH; i++) {
      deep = "{\"not\": " + deep + "}";
    }
    List<FieldError> tooDeep = errors(deep);
    assertEquals(1, tooDeep.size());
    assertTrue(tooDeep.get(0).message().contains("at most 8 levels"), tooDeep.toString());
    StringBuilder many = new StringBuilder("{\"field\":\"city\",\"op\":\"in\",\"value\":[");
    for (int i = 0; i <= SegmentRuleValidator.MAX_VALUES; i++) {
      many.append(i == 0 ? "" : ",").append("\"c").append(i).append('"');
    }
    assertEquals(List.of(new FieldError("rule.value", "at most 1000 values")), errors(many + "]}"));
  }

  @Test
  void collectsReferencedSegmentsWithTheirPaths() throws Exception {
    assertEquals(Map.of(7L, "rule.all[0].value[0]", 9L, "rule.all[1].not.value[0]"),
        check("{\"all\":[{\"field\":\"segment\",\"op\":\"in\",\"value\":[7]},"
            + "{\"not\":{\"field\":\"segment\",\"op\":\"in\",\"value\":[9]}}]}").references());
  }
}
