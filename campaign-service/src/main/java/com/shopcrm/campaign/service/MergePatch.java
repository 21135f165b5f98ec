package com.shopcrm.campaign.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.common.problem.Problem.FieldError;
import com.shopcrm.common.problem.ProblemException;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@code PATCH} body applied to a resource's input (campaigns, triggers): the given fields
 * replace the current ones, then the whole is read back and re-validated by the caller, so a patch
 * obeys exactly the rules of a create.
 */
final class MergePatch {

  private MergePatch() {
  }

  /** The current input with the changes laid over it; a field the input does not have is an error. */
  static ObjectNode merge(ObjectMapper mapper, Object current, ObjectNode changes, List<FieldError> errors) {
    ObjectNode merged = mapper.valueToTree(current);
    for (Iterator<String> names = changes.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!merged.has(name)) {
        errors.add(new FieldError(name, "unknown field"));
      }
      merged.set(name, changes.get(name));
    }
    return merged;
  }

  /** The merged body as the input type; a value of the wrong type is a 400 naming its place. */
  static <T> T read(ObjectMapper mapper, ObjectNode merged, Class<T> type) {
    try {
      return mapper.treeToValue(merged, type);
    } catch (JsonMappingException e) {
      String field = e.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining(".")).replace(".[", "[");
      throw ProblemException.invalid(field.isEmpty() ? "body" : field, "wrong type or value");
    } catch (JsonProcessingException e) {
      throw ProblemException.badRequest("cannot read the changes");
    }
  }
}
