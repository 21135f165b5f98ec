package com.shopcrm.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** {@code docker-compose.yml}, read as plain YAML. */
record ComposeFile(Path file, Map<String, Object> services) {

  static ComposeFile load() {
    Path file = Platform.root().resolve("docker-compose.yml");
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("no docker-compose.yml at the repository root");
    }
    return new ComposeFile(file, Yamls.map(Yamls.single(file).get("services")));
  }

  Map<String, Object> service(String name) {
    Object service = services.get(name);
    if (!(service instanceof Map)) {
      throw new AssertionError("docker-compose.yml has no service '" + name + "'");
    }
    return Yamls.map(service);
  }

  /** The service's environment, from the mapping or the {@code - NAME=value} list form. */
  Map<String, String> environment(String name) {
    Object env = service(name).get("environment");
    Map<String, String> result = new LinkedHashMap<>();
    if (env instanceof Map) {
      Yamls.map(env).forEach((k, v) -> result.put(k, v == null ? null : String.valueOf(v)));
    } else {
      for (Object entry : Yamls.list(env)) {
        String text = String.valueOf(entry);
        int eq = text.indexOf('=');
        result.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? null : text.substring(eq + 1));
      }
    }
    return result;
  }

  /** {@code depends_on} as service → condition (the short list form means "started"). */
  Map<String, String> dependsOn(String name) {
    Object deps = service(name).get("depends_on");
    if (deps instanceof List) {
      return Yamls.list(deps).stream().map(String::valueOf)
          .collect(Collectors.toMap(d -> d, d -> "service_started"));
    }
    Map<String, String> result = new LinkedHashMap<>();
    Yamls.map(deps).forEach((k, v) -> result.put(k, String.valueOf(Yamls.map(v).getOrDefault("condition", "service_started"))));
    return result;
  }

  /** The healthcheck command as one string, or null. */
  String healthcheck(String name) {
    Object test = Yamls.at(service(name), "healthcheck.test");
    if (test instanceof List) {
      return Yamls.list(test).stream().map(String::valueOf).collect(Collectors.joining(" "));
    }
    return test == null ? null : String.valueOf(test);
  }

  /** The targets of the service's volumes that are mounted read-only ({@code :ro} or {@code read_only: true}). */
  Set<String> readOnlyTargets(String name) {
    Set<String> result = new TreeSet<>();
    for (Object volume : Yamls.list(service(name).get("volumes"))) {
      if (volume instanceof Map) {
        Map<String, Object> v = Yamls.map(volume);
        if (Boolean.TRUE.equals(v.get("read_only"))) {
          result.add(String.valueOf(v.get("target")));
        }
      } else {
        String[] parts = String.valueOf(volume).split(":");
        if (parts.length > 2 && List.of(parts[2].split(",")).contains("ro")) {
          result.add(parts[1]);
        }
      }
    }
    return result;
  }

  /** Volume mounts in short form {@code source:target[:mode]} as target → source. */
  Map<String, String> mounts(String name) {
    Map<String, String> result = new LinkedHashMap<>();
    for (Object volume : Yamls.list(service(name).get("volumes"))) {
      if (volume instanceof Map) {
        Map<String, Object> v = Yamls.map(volume);
        result.put(String.valueOf(v.get("target")), String.valueOf(v.get("source")));
      } else {
        String[] parts = String.valueOf(volume).split(":");
        result.put(parts[1], parts[0]);
      }
    }
    return result;
  }
}
