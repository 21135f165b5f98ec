package com.shopcrm.campaign.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.campaign.repository.RuleCondition;
import com.shopcrm.campaign.repository.SegmentRepository.SegmentRow;
import com.shopcrm.campaign.rule.SegmentRuleCompiler;
import com.shopcrm.common.problem.Problem.FieldError;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A tenant's saved segments, loaded once per operation: resolves {@code segment in [...]}
 * references, finds cycles and compiles rules with the references inlined.
 */
record SegmentCatalog(Map<Long, SegmentRow> byId) {

  static SegmentCatalog of(List<SegmentRow> rows) {
    Map<Long, SegmentRow> byId = new LinkedHashMap<>();
    rows.forEach(row -> byId.put(row.id(), row));
    return new SegmentCatalog(byId);
  }

  SegmentRow get(long id) {
    return byId.get(id);
  }

  /**
   * Errors for references (id -> path in the rule) to segments that do not exist, and for those
   * that lead back to {@code self} (the segment being saved, {@code null} for a new one).
   */
  List<FieldError> checkReferences(Long self, Map<Long, String> references) {
    List<FieldError> errors = new ArrayList<>();
    references.forEach((id, path) -> {
      if (self != null && id.equals(self)) {
        errors.add(new FieldError(path, "a segment cannot reference itself"));
      } else if (!byId.containsKey(id)) {
        errors.add(new FieldError(path, "segment " + id + " does not exist"));
      } else if (self != null) {
        List<Long> cycle = pathTo(id, self, new ArrayList<>());
        if (cycle != null) {
          errors.add(new FieldError(path, "segment reference cycle: " + self + " → "
              + cycle.stream().map(String::valueOf).collect(Collectors.joining(" → "))));
        }
      }
    });
    errors.sort(java.util.Comparator.comparing(FieldError::field));
    return errors;
  }

  /** The reference path from {@code from} to {@code target} through stored rules, or {@code null}. */
  private List<Long> pathTo(long from, long target, List<Long> trail) {
    if (trail.contains(from)) {
      return null; // a cycle not through target (cannot be stored, but do not loop)
    }
    trail.add(from);
    if (from == target) {
      return new ArrayList<>(trail);
    }
    SegmentRow row = byId.get(from);
    if (row != null) {
      for (long next : row.refs()) {
        List<Long> found = pathTo(next, target, trail);
        if (found != null) {
          return found;
        }
      }
    }
    trail.remove(trail.size() - 1);
    return null;
  }

  /** The rule as a condition over {@code audience_profile p}, references inlined. */
  RuleCondition condition(JsonNode rule, Long self, OffsetDateTime now) {
    return args -> SegmentRuleCompiler.compile(rule, id -> {
      SegmentRow row = byId.get(id);
      return row == null ? null : row.rule();
    }, now, args, self);
  }
}
