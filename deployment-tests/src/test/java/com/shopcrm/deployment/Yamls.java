package com.shopcrm.deployment;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Plain YAML reading (SnakeYAML, safe constructor; merge keys {@code <<} resolved). */
final class Yamls {

  private Yamls() {
  }

  static List<Object> documents(Path file) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<Object> docs = new ArrayList<>();
      for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) {
        if (doc != null) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  static List<Object> documents(String text) {
    List<Object> docs = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
      if (doc != null) {
        docs.add(doc);
      }
    }
    return docs;
  }

  static Map<String, Object> single(Path file) {
    List<Object> docs = documents(file);
    if (docs.size() != 1 || !(docs.get(0) instanceof Map)) {
      throw new AssertionError(file + " should hold exactly one YAML mapping");
    }
    return map(docs.get(0));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map ? (Map<String, Object>) value : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value instanceof List ? (List<Object>) value : List.of();
  }

  /** {@code a.b.c} through nested mappings, or null. */
  static Object at(Map<String, Object> root, String dottedPath) {
    Object current = root;
    for (String part : dottedPath.split("\\.")) {
      if (!(current instanceof Map)) {
        return null;
      }
      current = map(current).get(part);
    }
    return current;
  }
}
