package com.shopcrm.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Merges the services' OpenAPI documents (and the gateway's own) into the one the gateway serves:
 * each document's paths that the gateway routes to its service; components with a name two
 * documents define differently renamed to {@code <Service><Name>} in each (and every {@code $ref}
 * to them rewritten); duplicate operation ids prefixed with the service; the services' own security
 * schemes (their internal JWT) replaced by one bearer API key scheme applied to every operation but
 * the public ones; responses without the required {@code description} given one. Pure: JSON
 * trees in, a JSON tree out.
 */
public final class OpenApiMerger {

  public static final String SCHEME = "apiKey";
  private static final List<String> SECTIONS = List.of("schemas", "responses", "parameters", "examples",
      "requestBodies", "headers", "links", "callbacks", "pathItems");
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** One document and which of its paths belong in the merged one. */
  public record Source(String name, JsonNode document, Predicate<String> owns) {
  }

  private OpenApiMerger() {
  }

  /**
   * @param publicPaths paths that need no key (their operations get {@code security: []})
   */
  public static ObjectNode merge(String title, String version, List<Source> sources, Set<String> publicPaths) {
    Map<String, Map<String, String>> renames = renames(sources);
    ObjectNode out = JSON.objectNode();
    out.put("openapi", sources.stream().map(s -> s.document().path("openapi").asText(""))
        .filter(v -> !v.isEmpty()).findFirst().orElse("3.1.0"));
    out.putObject("info").put("title", title).put("version", version)
        .put("description", "Every Shop CRM call in one document, as the gateway exposes it. Authenticate with "
            + "'Authorization: Bearer <api-key>'.");
    out.putArray("security").addObject().putArray(SCHEME);
    ArrayNode tags = out.putArray("tags");
    ObjectNode paths = out.putObject("paths");
    ObjectNode components = out.putObject("components");
    Set<String> tagNames = new HashSet<>();
    Set<String> operationIds = new HashSet<>();

    for (Source source : sources) {
      JsonNode doc = source.document().deepCopy();
      rewriteRefs(doc, renames.getOrDefault(source.name(), Map.of()));
      for (JsonNode tag : doc.path("tags")) {
        if (tagNames.add(tag.path("name").asText())) {
          tags.add(tag);
        }
      }
      Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String path = e.getKey();
        if (!source.owns().test(path) || paths.has(path)) {
          continue;
        }
        ObjectNode item = (ObjectNode) e.getValue();
        item.fields().forEachRemaining(op -> {
          if (METHODS.contains(op.getKey()) && op.getValue() instanceof ObjectNode operation) {
            operation.remove("security");
            describeResponses(operation);
            if (publicPaths.contains(path)) {
              operation.putArray("security");
            }
            String id = operation.path("operationId").asText(null);
            if (id != null && !operationIds.add(id)) {
              String prefixed = source.name() + capitalize(id);
              operation.put("operationId", prefixed);
              operationIds.add(prefixed);
            }
          }
        });
        paths.set(path, item);
      }
      JsonNode sourceComponents = doc.path("components");
      for (String section : SECTIONS) {
        Iterator<Map.Entry<String, JsonNode>> defs = sourceComponents.path(section).fields();
        while (defs.hasNext()) {
          Map.Entry<String, JsonNode> d = defs.next();
          String name = renames.getOrDefault(source.name(), Map.of()).getOrDefault(section + "/" + d.getKey(), d.getKey());
          ObjectNode target = components.has(section) ? (ObjectNode) components.get(section) : components.putObject(section);
          if (!target.has(name)) {
            target.set(name, d.getValue());
          }
        }
      }
    }
    components.putObject("securitySchemes").putObject(SCHEME)
        .put("type", "http").put("scheme", "bearer")
        .put("description", "An API key issued by POST /api/v1/admin/api-keys, sent as 'Authorization: Bearer <api-key>'");
    return out;
  }

  /**
   * A response without {@code description} (OpenAPI requires one; SmallRye leaves it out for a
   * status declared without text) gets the status's reason phrase, so the merged document stays
   * valid for parsers and generators.
   */
  private static void describeResponses(ObjectNode operation) {
    operation.path("responses").fields().forEachRemaining(r -> {
      if (r.getValue() instanceof ObjectNode response && !response.has("$ref") && !response.has("description")) {
        response.put("description", REASONS.getOrDefault(r.getKey(), "Response " + r.getKey()));
      }
    });
  }

  private static final Map<String, String> REASONS = Map.ofEntries(
      Map.entry("200", "OK"), Map.entry("201", "Created"), Map.entry("202", "Accepted"), Map.entry("204", "No Content"),
      Map.entry("400", "Bad Request"), Map.entry("401", "Unauthorized"), Map.entry("403", "Forbidden"),
      Map.entry("404", "Not Found"), Map.entry("409", "Conflict"), Map.entry("410", "Gone"),
      Map.entry("413", "Content Too Large"), Map.entry("422", "Unprocessable Content"),
      Map.entry("429", "Too Many Requests"), Map.entry("503", "Service Unavailable"), Map.entry("default", "Response"));

  /** Per source, {@code section/name -> new name} for components two sources define differently. */
  static Map<String, Map<String, String>> renames(List<Source> sources) {
    Map<String, Map<String, JsonNode>> definitions = new LinkedHashMap<>(); // section/name -> source -> def
    Set<String> taken = new HashSet<>();
    for (Source s : sources) {
      for (String section : SECTIONS) {
        s.document().path("components").path(section).fields().forEachRemaining(d -> {
          definitions.computeIfAbsent(section + "/" + d.getKey(), k -> new LinkedHashMap<>()).put(s.name(), d.getValue());
          taken.add(section + "/" + d.getKey());
        });
      }
    }
    Map<String, Map<String, String>> renames = new HashMap<>();
    definitions.forEach((key, bySource) -> {
      if (bySource.size() < 2 || new HashSet<>(bySource.values()).size() == 1) {
        return; // one definition, or the same one everywhere: shared as it is
      }
      String section = key.substring(0, key.indexOf('/'));
      String name = key.substring(key.indexOf('/') + 1);
      for (String source : bySource.keySet()) {
        String candidate = capitalize(source) + name;
        for (int n = 2; taken.contains(section + "/" + candidate); n++) {
          candidate = capitalize(source) + name + n;
        }
        taken.add(section + "/" + candidate);
        renames.computeIfAbsent(source, k -> new HashMap<>()).put(key, candidate);
      }
    });
    return renames;
  }

  private static void rewriteRefs(JsonNode node, Map<String, String> renames) {
    if (renames.isEmpty()) {
      return;
    }
    if (node instanceof ObjectNode object) {
      JsonNode ref = object.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/")) {
        String key = ref.asText().substring("#/components/".length());
        String renamed = renames.get(key);
        if (renamed != null) {
          object.set("$ref", TextNode.valueOf("#/components/" + key.substring(0, key.indexOf('/') + 1) + renamed));
        }
      }
      List<JsonNode> children = new ArrayList<>();
      object.elements().forEachRemaining(children::add);
      children.forEach(child -> rewriteRefs(child, renames));
    } else if (node instanceof ArrayNode array) {
      array.forEach(child -> rewriteRefs(child, renames));
    }
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
