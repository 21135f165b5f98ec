package com.shopcrm.deployment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Kubernetes YAML read into fabric8's typed model. Kustomization files and JSON patches (YAML
 * lists of operations) are not resources and are left to {@link Kustomization}.
 */
final class Manifests {

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The kinds this platform uses, and the model class of each. */
  static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "ConfigMap", ConfigMap.class,
      "Secret", Secret.class,
      "Service", Service.class,
      "Deployment", Deployment.class,
      "StatefulSet", StatefulSet.class,
      "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
      "PodDisruptionBudget", PodDisruptionBudget.class,
      "Ingress", Ingress.class);

  /** One resource (or strategic-merge patch) and the file it came from. */
  record Manifest(Path file, HasMetadata resource) {
    String kind() {
      return resource.getKind();
    }

    String name() {
      return resource.getMetadata() == null ? null : resource.getMetadata().getName();
    }
  }

  private Manifests() {
  }

  static Path k8s() {
    return Platform.root().resolve("k8s");
  }

  static boolean isKustomization(Path file) {
    String name = file.getFileName().toString();
    return name.equals("kustomization.yaml") || name.equals("kustomization.yml") || name.equals("Kustomization");
  }

  /** Every .yaml/.yml file under the folder, sorted. */
  static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted().toList();
    } catch (IOException e) {
      throw new AssertionError("cannot list " + dir, e);
    }
  }

  /** The resources in one file; fails on a kind this platform does not know. */
  static List<Manifest> read(Path file) {
    return read(file, Yamls.documents(file));
  }

  /** The resources of YAML text (e.g. rendered by kustomize), attributed to {@code origin}. */
  static List<Manifest> read(Path origin, String yaml) {
    return read(origin, Yamls.documents(yaml));
  }

  private static List<Manifest> read(Path file, List<Object> docs) {
    List<Manifest> result = new ArrayList<>();
    for (Object doc : docs) {
      if (!(doc instanceof Map)) {
        continue; // a JSON 6902 patch: a list of operations
      }
      Map<String, Object> raw = Yamls.map(doc);
      Object kind = raw.get("kind");
      Class<? extends HasMetadata> type = KINDS.get(String.valueOf(kind));
      if (type == null) {
        throw new AssertionError(file + ": unexpected kind " + kind + " (known: " + KINDS.keySet() + ")");
      }
      result.add(new Manifest(file, MAPPER.convertValue(raw, type)));
    }
    return result;
  }

  /** Every resource of the files a kustomization lists as resources (files only). */
  static List<Manifest> readAll(Collection<Path> files) {
    return files.stream().filter(f -> !isKustomization(f)).flatMap(f -> read(f).stream()).toList();
  }

  static <T extends HasMetadata> List<T> ofKind(List<Manifest> manifests, Class<T> type) {
    return manifests.stream().map(Manifest::resource).filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> Optional<T> named(List<Manifest> manifests, Class<T> type, String name) {
    return ofKind(manifests, type).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst();
  }

  /**
   * Fields the model does not know, by path ({@code spec.template.spec.containers[0].readinesProbe}):
   * fabric8 keeps them in {@code additionalProperties} instead of failing, so a typo would pass.
   */
  static Map<String, Object> unknownFields(Object model) {
    Map<String, Object> found = new LinkedHashMap<>();
    walk(model, "", found, new IdentityHashMap<>());
    return found;
  }

  private static void walk(Object node, String path, Map<String, Object> found, IdentityHashMap<Object, Boolean> seen) {
    if (node == null || seen.put(node, Boolean.TRUE) != null) {
      return;
    }
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", found, seen);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
      return;
    }
    if (!node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        Yamls.map(value).forEach((k, v) -> found.put(path.isEmpty() ? k : path.substring(1) + "." + k, v));
      } else {
        String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
        walk(value, path + "." + field, found, seen);
      }
    }
  }
}
