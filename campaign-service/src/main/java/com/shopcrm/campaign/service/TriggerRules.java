package com.shopcrm.campaign.service;

import com.shopcrm.campaign.model.TriggerInput;
import com.shopcrm.common.json.JsonNames;
import com.shopcrm.common.problem.Problem.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every error of a trigger definition, each with its field: the wait field the kind needs (and no
 * other), a message per chosen channel and the offer's shape as for campaigns ({@link CampaignRules}).
 */
public final class TriggerRules {

  /** The wait/condition fields each kind uses; any other one set is an error. */
  static final Map<String, Set<String>> KIND_FIELDS = Map.of(
      "birthday", Set.of("days_before"),
      "cart_abandon", Set.of("wait_hours"),
      "win_back", Set.of("wait_days", "lifecycle_stage", "p_alive_below"),
      "review_request", Set.of("wait_days"),
      "repurchase", Set.of("wait_days"),
      "entered_segment", Set.of("wait_days"));

  private TriggerRules() {
  }

  public static List<FieldError> check(Validator validator, TriggerInput in) {
    List<FieldError> errors = new ArrayList<>();
    for (ConstraintViolation<TriggerInput> v : validator.validate(in)) {
      String path = v.getPropertyPath().toString().replaceAll("\\.<[a-z ]+>", "");
      errors.add(new FieldError(JsonNames.snake(path), v.getMessage()));
    }
    Set<String> channels = CampaignRules.channels(errors, in.channels());
    CampaignRules.message(errors, in.message(), channels, "message");
    if ("entered_segment".equals(in.kind()) && in.segmentId() == null) {
      errors.add(new FieldError("segment_id", "required for entered_segment"));
    }
    if (in.offer() != null) {
      CampaignRules.offer(errors, in.offer());
      if ("new_product".equals(in.offer().type())) {
        errors.add(new FieldError("offer.type", "new_product is an offer of campaigns, not of triggers"));
      }
    }
    Set<String> used = in.kind() == null ? null : KIND_FIELDS.get(in.kind());
    if (used != null) {
      Map<String, Object> set = new java.util.LinkedHashMap<>();
      set.put("days_before", in.daysBefore());
      set.put("wait_hours", in.waitHours());
      set.put("wait_days", in.waitDays());
      set.put("lifecycle_stage", in.lifecycleStage());
      set.put("p_alive_below", in.pAliveBelow());
      set.forEach((field, value) -> {
        if (value != null && !used.contains(field)) {
          errors.add(new FieldError(field, "not used by kind " + in.kind()));
        }
      });
      switch (in.kind()) {
        case "birthday" -> required(errors, in.daysBefore(), "days_before", in.kind());
        case "cart_abandon" -> required(errors, in.waitHours(), "wait_hours", in.kind());
        case "review_request" -> required(errors, in.waitDays(), "wait_days", in.kind());
        case "win_back" -> {
          if (in.lifecycleStage() == null && in.pAliveBelow() == null) {
            errors.add(new FieldError("lifecycle_stage", "win_back needs lifecycle_stage and/or p_alive_below"));
          } else if (in.lifecycleStage() != null && in.lifecycleStage().isBlank()) {
            errors.add(new FieldError("lifecycle_stage", "must not be blank"));
          }
        }
        default -> { }
      }
    }
    errors.sort(Comparator.comparing(FieldError::field));
    return errors;
  }

  private static void required(List<FieldError> errors, Object value, String field, String kind) {
    if (value == null) {
      errors.add(new FieldError(field, "required for kind " + kind));
    }
  }
}
