package com.shopcrm.deployment;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a container gets, with {@code envFrom} ConfigMaps and Secrets expanded from the
 * manifests: name → value (a Secret's value counts as provided, shown as {@code <secret>}).
 * Problems (a referenced ConfigMap/Secret or key that does not exist) are collected.
 */
final class PodEnvironment {

  final Map<String, String> variables = new LinkedHashMap<>();
  final List<String> problems = new ArrayList<>();

  PodEnvironment(Container container, List<Manifests.Manifest> manifests) {
    for (EnvFromSource from : container.getEnvFrom()) {
      if (from.getConfigMapRef() != null) {
        String name = from.getConfigMapRef().getName();
        Manifests.named(manifests, ConfigMap.class, name).ifPresentOrElse(
            cm -> cm.getData().forEach(variables::put),
            () -> problems.add(container.getName() + ": envFrom ConfigMap " + name + " does not exist"));
      }
      if (from.getSecretRef() != null) {
        String name = from.getSecretRef().getName();
        Manifests.named(manifests, Secret.class, name).ifPresentOrElse(
            secret -> secretKeys(secret).forEach(k -> variables.put(k, "<secret>")),
            () -> problems.add(container.getName() + ": envFrom Secret " + name + " does not exist"));
      }
    }
    for (EnvVar env : container.getEnv()) {
      if (env.getValueFrom() == null) {
        variables.put(env.getName(), env.getValue());
      } else if (env.getValueFrom().getSecretKeyRef() != null) {
        var ref = env.getValueFrom().getSecretKeyRef();
        boolean exists = Manifests.named(manifests, Secret.class, ref.getName())
            .map(s -> secretKeys(s).contains(ref.getKey())).orElse(false);
        if (!exists && !Boolean.TRUE.equals(ref.getOptional())) {
          problems.add(container.getName() + ": " + env.getName() + " refers to missing Secret key " + ref.getName() + "/" + ref.getKey());
        }
        variables.put(env.getName(), "<secret>");
      } else if (env.getValueFrom().getConfigMapKeyRef() != null) {
        var ref = env.getValueFrom().getConfigMapKeyRef();
        String value = Manifests.named(manifests, ConfigMap.class, ref.getName())
            .map(cm -> cm.getData().get(ref.getKey())).orElse(null);
        if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
          problems.add(container.getName() + ": " + env.getName() + " refers to missing ConfigMap key " + ref.getName() + "/" + ref.getKey());
        }
        variables.put(env.getName(), value);
      } else {
        variables.put(env.getName(), "<field>");
      }
    }
  }

  static List<String> secretKeys(Secret secret) {
    List<String> keys = new ArrayList<>();
    if (secret.getStringData() != null) {
      keys.addAll(secret.getStringData().keySet());
    }
    if (secret.getData() != null) {
      keys.addAll(secret.getData().keySet());
    }
    return keys;
  }

  /** A port as written: {@code 8080} or {@code http}. */
  static String describe(IntOrString port) {
    return port == null ? "none" : port.getIntVal() != null ? String.valueOf(port.getIntVal()) : port.getStrVal();
  }

  /** A probe's or Service's port as a number: numeric, or a named port of the container. */
  static Integer resolvePort(IntOrString port, Container container) {
    if (port == null) {
      return null;
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
        .map(p -> p.getContainerPort()).findFirst().orElse(null);
  }
}
