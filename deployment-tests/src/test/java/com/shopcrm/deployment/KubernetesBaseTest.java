package com.shopcrm.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.deployment.Manifests.Manifest;
import com.shopcrm.deployment.Platform.Service;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code k8s/base}: one Deployment, Service and ConfigMap per service, consistent with the platform table. */
class KubernetesBaseTest {

  private final Kustomization base = Kustomization.in(Manifests.k8s().resolve("base"));
  private final List<Manifest> manifests = Manifests.readAll(base.resourceFilesDeep());

  private Deployment deployment(Service s) {
    return Manifests.named(manifests, Deployment.class, s.name())
        .orElseThrow(() -> new AssertionError("k8s/base has no Deployment " + s.name()));
  }

  private static Container container(Deployment d) {
    List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
    return containers.stream().filter(c -> c.getName().equals(d.getMetadata().getName())).findFirst()
        .orElse(containers.get(0));
  }

  @Test
  void everyYamlUnderK8sIsAKnownKindWithOnlyKnownFields() {
    List<String> problems = new ArrayList<>();
    for (Path file : Manifests.yamlFiles(Manifests.k8s())) {
      if (Manifests.isKustomization(file)) {
        continue;
      }
      for (Manifest m : Manifests.read(file)) {
        Manifests.unknownFields(m.resource()).forEach((field, value) ->
            problems.add(Manifests.k8s().relativize(file) + ": " + m.kind() + "/" + m.name() + " has unknown field " + field));
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void baseListsEveryManifestInItsFolder() {
    Set<Path> listed = new HashSet<>(base.resources());
    List<String> problems = new ArrayList<>();
    for (Path p : base.references()) {
      if (!p.toFile().exists()) {
        problems.add("k8s/base/kustomization.yaml refers to missing " + p);
      }
    }
    for (Path file : Manifests.yamlFiles(base.dir())) {
      if (!Manifests.isKustomization(file) && !listed.contains(file.normalize())) {
        problems.add(base.dir().relativize(file) + " is not listed in k8s/base/kustomization.yaml");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyServiceHasADeploymentServiceAndConfigMap() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      if (Manifests.named(manifests, Deployment.class, s.name()).isEmpty()) {
        problems.add("no Deployment " + s.name());
      }
      if (Manifests.named(manifests, io.fabric8.kubernetes.api.model.Service.class, s.name()).isEmpty()) {
        problems.add("no Service " + s.name());
      }
      if (Manifests.named(manifests, ConfigMap.class, s.name()).isEmpty()) {
        problems.add("no ConfigMap " + s.name());
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void containersAndServicesUseThePlatformPorts() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      Deployment d = deployment(s);
      Container c = container(d);
      if (c.getPorts().stream().noneMatch(p -> p.getContainerPort() == s.port())) {
        problems.add(s.name() + ": container does not declare port " + s.port());
      }
      var svc = Manifests.named(manifests, io.fabric8.kubernetes.api.model.Service.class, s.name()).orElse(null);
      if (svc == null) {
        problems.add(s.name() + ": no Service");
        continue;
      }
      Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
      if (svc.getSpec().getSelector() == null || !podLabels.entrySet().containsAll(svc.getSpec().getSelector().entrySet())) {
        problems.add(s.name() + ": Service selector " + svc.getSpec().getSelector() + " does not select the pods " + podLabels);
      }
      Optional<ServicePort> port = svc.getSpec().getPorts().stream().filter(p -> p.getPort() == s.port()).findFirst();
      if (port.isEmpty()) {
        problems.add(s.name() + ": Service does not serve port " + s.port());
      } else {
        Integer target = PodEnvironment.resolvePort(port.get().getTargetPort(), c);
        if (target == null ? port.get().getPort() != s.port() : target != s.port()) {
          problems.add(s.name() + ": Service port targets " + PodEnvironment.describe(port.get().getTargetPort()) + ", not container port " + s.port());
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void probesCallTheQuarkusHealthEndpointsOnTheServicePort() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      Container c = container(deployment(s));
      checkProbe(problems, s, c, "startupProbe", c.getStartupProbe(), Platform.STARTED);
      checkProbe(problems, s, c, "readinessProbe", c.getReadinessProbe(), Platform.READY);
      checkProbe(problems, s, c, "livenessProbe", c.getLivenessProbe(), Platform.LIVE);
    }
    assertEquals(List.of(), problems);
  }

  static void checkProbe(List<String> problems, Service s, Container c, String kind, Probe probe, String path) {
    if (probe == null || probe.getHttpGet() == null) {
      problems.add(s.name() + ": no HTTP " + kind);
      return;
    }
    if (!path.equals(probe.getHttpGet().getPath())) {
      problems.add(s.name() + ": " + kind + " path should be " + path + " but is " + probe.getHttpGet().getPath());
    }
    Integer port = PodEnvironment.resolvePort(probe.getHttpGet().getPort(), c);
    if (port == null || port != s.port()) {
      problems.add(s.name() + ": " + kind + " port " + PodEnvironment.describe(probe.getHttpGet().getPort()) + " is not " + s.port());
    }
  }

  @Test
  void everyContainerHasCpuAndMemoryRequestsWithinLimits() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      var resources = container(deployment(s)).getResources();
      for (String resource : List.of("cpu", "memory")) {
        Quantity request = resources == null || resources.getRequests() == null ? null : resources.getRequests().get(resource);
        Quantity limit = resources == null || resources.getLimits() == null ? null : resources.getLimits().get(resource);
        if (request == null || limit == null) {
          problems.add(s.name() + ": " + resource + " request and limit must both be set");
        } else if (request.getNumericalAmount().compareTo(limit.getNumericalAmount()) > 0) {
          problems.add(s.name() + ": " + resource + " request " + request + " exceeds limit " + limit);
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void givesServicesOnlyVariablesTheirPropertiesReadAndAllTheyNeed() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      ServiceConfig config = ServiceConfig.of(s);
      PodEnvironment env = new PodEnvironment(container(deployment(s)), manifests);
      problems.addAll(env.problems);
      for (String name : env.variables.keySet()) {
        if (!config.reads(name)) {
          problems.add(s.name() + " is given " + name + ", which its application.properties never reads");
        }
      }
      Set<String> missing = new TreeSet<>(config.required());
      missing.removeAll(env.variables.keySet());
      if (!missing.isEmpty()) {
        problems.add(s.name() + " needs " + missing + " (no default in its application.properties)");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void configMapsCarryEachServicesPortDatabaseAndUpstreams() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      Map<String, String> env = new PodEnvironment(container(deployment(s)), manifests).variables;
      if (!String.valueOf(s.port()).equals(env.get("CRM_HTTP_PORT"))) {
        problems.add(s.name() + ": CRM_HTTP_PORT should be " + s.port() + " but is " + env.get("CRM_HTTP_PORT"));
      }
      if (!s.database().equals(env.get("CRM_DB_NAME"))) {
        problems.add(s.name() + ": CRM_DB_NAME should be " + s.database() + " but is " + env.get("CRM_DB_NAME"));
      }
      // Every service that calls another (the gateway routes; order-service creates customers and
      // delivers events; scoring-service resyncs from order-service) reaches it by its Service name:
      // the properties' defaults point at 127.0.0.1, which is wrong in a pod.
      ServiceConfig config = ServiceConfig.of(s);
      for (Service upstream : Platform.upstreams()) {
        String variable = upstream.upstreamUrlVariable();
        String expected = "http://" + upstream.name() + ":" + upstream.port();
        if (config.reads(variable) && !expected.equals(env.get(variable))) {
          problems.add(s.name() + ": " + variable + " should be " + expected + " but is " + env.get(variable));
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void keyFilesComeFromMountedSecrets() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      keySecrets(s).forEach((variable, secret) -> {
        if (secret.isEmpty()) {
          String location = new PodEnvironment(container(deployment(s)), manifests).variables.get(variable);
          problems.add(s.name() + ": " + variable + "=" + location + " is not a key of a Secret mounted at "
              + Path.of(location).getParent());
        }
      });
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void privateKeyGoesExactlyToTheTokenSignersFromOneVolume() {
    List<String> given = new ArrayList<>();
    Set<String> privateSecrets = new TreeSet<>();
    for (Service s : Platform.SERVICES) {
      Optional<String> secret = keySecrets(s).get(PRIVATE_KEY);
      if (secret != null) {
        given.add(s.name());
        secret.ifPresent(privateSecrets::add);
      }
    }
    assertEquals(Platform.tokenSigners(), given, "the services given " + PRIVATE_KEY);
    assertEquals(1, privateSecrets.size(), "every signer reads the one private key Secret: " + privateSecrets);
    String privateSecret = privateSecrets.iterator().next();

    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      Deployment d = deployment(s);
      for (Volume v : d.getSpec().getTemplate().getSpec().getVolumes()) {
        if (v.getSecret() == null || !privateSecret.equals(v.getSecret().getSecretName())) {
          continue;
        }
        if (!s.signsInternalTokens()) {
          problems.add(s.name() + " mounts the private key Secret " + privateSecret);
          continue;
        }
        Integer mode = v.getSecret().getDefaultMode();
        if (mode == null || (mode & 07) != 0) {
          problems.add(s.name() + ": the private key Secret's defaultMode is "
              + (mode == null ? "unset (0644)" : "0" + Integer.toOctalString(mode)) + ", which lets other users read it");
        }
        for (VolumeMount m : container(d).getVolumeMounts()) {
          if (m.getName().equals(v.getName()) && !Boolean.TRUE.equals(m.getReadOnly())) {
            problems.add(s.name() + " mounts the private key Secret at " + m.getMountPath() + " without readOnly");
          }
        }
      }
      if (!s.isGateway() && keySecrets(s).get(PUBLIC_KEY) == null) {
        problems.add(s.name() + " verifies incoming tokens but is not given " + PUBLIC_KEY);
      }
    }
    assertEquals(List.of(), problems);
  }

  private static final String PRIVATE_KEY = "CRM_JWT_PRIVATE_KEY_LOCATION";
  private static final String PUBLIC_KEY = "CRM_JWT_PUBLIC_KEY_LOCATION";

  /**
   * The service's {@code CRM_JWT_*_LOCATION} variables, each with the name of the Secret mounted at
   * its folder that holds its file name as a key (empty when there is none).
   */
  private Map<String, Optional<String>> keySecrets(Service s) {
    Deployment d = deployment(s);
    Container c = container(d);
    Map<String, Optional<String>> result = new TreeMap<>();
    for (Map.Entry<String, String> e : new PodEnvironment(c, manifests).variables.entrySet()) {
      if (!e.getKey().startsWith("CRM_JWT_") || !e.getKey().endsWith("_LOCATION")) {
        continue;
      }
      Path location = Path.of(e.getValue());
      Optional<VolumeMount> mount = c.getVolumeMounts().stream()
          .filter(m -> Path.of(m.getMountPath()).equals(location.getParent())).findFirst();
      Optional<Volume> volume = mount.flatMap(m -> d.getSpec().getTemplate().getSpec().getVolumes().stream()
          .filter(v -> v.getName().equals(m.getName())).findFirst());
      result.put(e.getKey(), volume.filter(v -> v.getSecret() != null)
          .flatMap(v -> Manifests.named(manifests, Secret.class, v.getSecret().getSecretName()))
          .filter(secret -> PodEnvironment.secretKeys(secret).contains(location.getFileName().toString()))
          .map(secret -> secret.getMetadata().getName()));
    }
    return result;
  }

  @Test
  void baseSecretsHoldPlaceholdersOnly() {
    List<String> problems = new ArrayList<>();
    for (Secret secret : Manifests.ofKind(manifests, Secret.class)) {
      if (secret.getData() != null && !secret.getData().isEmpty()) {
        problems.add(secret.getMetadata().getName() + ": use readable stringData placeholders, not data");
      }
      if (secret.getStringData() != null) {
        secret.getStringData().forEach((k, v) -> {
          if (!v.contains("PLACEHOLDER") && !v.contains("change-me")) {
            problems.add(secret.getMetadata().getName() + "/" + k + " looks like a real secret: keep placeholders in git");
          }
        });
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyServiceHasAnAutoscalerAndDisruptionBudgetForItsDeployment() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      Deployment d = deployment(s);
      Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
      boolean hpa = Manifests.ofKind(manifests, HorizontalPodAutoscaler.class).stream()
          .anyMatch(h -> "Deployment".equals(h.getSpec().getScaleTargetRef().getKind())
              && s.name().equals(h.getSpec().getScaleTargetRef().getName()));
      if (!hpa) {
        problems.add(s.name() + ": no HorizontalPodAutoscaler targets its Deployment");
      }
      boolean pdb = Manifests.ofKind(manifests, PodDisruptionBudget.class).stream()
          .anyMatch(p -> p.getSpec().getSelector() != null && p.getSpec().getSelector().getMatchLabels() != null
              && podLabels.entrySet().containsAll(p.getSpec().getSelector().getMatchLabels().entrySet()));
      if (!pdb) {
        problems.add(s.name() + ": no PodDisruptionBudget selects its pods");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyAutoscalerAndDisruptionBudgetUnderK8sTargetsAnExistingDeployment() {
    List<Manifest> all = new ArrayList<>(manifests);
    for (Path file : Manifests.yamlFiles(Manifests.k8s().resolve("overlays"))) {
      if (!Manifests.isKustomization(file)) {
        all.addAll(Manifests.read(file));
      }
    }
    List<Deployment> deployments = Manifests.ofKind(all, Deployment.class);
    List<String> problems = new ArrayList<>();
    for (HorizontalPodAutoscaler h : Manifests.ofKind(all, HorizontalPodAutoscaler.class)) {
      var ref = h.getSpec() == null ? null : h.getSpec().getScaleTargetRef();
      if (ref == null) {
        continue; // a patch that leaves the target as it is
      }
      boolean exists = "Deployment".equals(ref.getKind())
          && deployments.stream().anyMatch(d -> d.getMetadata().getName().equals(ref.getName()) && d.getSpec().getTemplate() != null);
      if (!exists) {
        problems.add("HPA " + h.getMetadata().getName() + " targets missing " + ref.getKind() + "/" + ref.getName());
      }
    }
    for (PodDisruptionBudget p : Manifests.ofKind(all, PodDisruptionBudget.class)) {
      if (p.getSpec() == null || p.getSpec().getSelector() == null) {
        continue;
      }
      Map<String, String> selector = p.getSpec().getSelector().getMatchLabels();
      boolean selects = deployments.stream().filter(d -> d.getSpec().getTemplate() != null)
          .anyMatch(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()));
      if (!selects) {
        problems.add("PDB " + p.getMetadata().getName() + " selects no Deployment's pods: " + selector);
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void ingressRoutesToTheGatewayService() {
    List<Ingress> ingresses = Manifests.ofKind(manifests, Ingress.class);
    assertFalse(ingresses.isEmpty(), "k8s/base has an Ingress");
    var gateway = Manifests.named(manifests, io.fabric8.kubernetes.api.model.Service.class, "gateway").orElseThrow();
    for (Ingress ingress : ingresses) {
      ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(path -> {
        var backend = path.getBackend().getService();
        assertEquals("gateway", backend.getName(), "Ingress " + ingress.getMetadata().getName() + " backend");
        boolean portExists = gateway.getSpec().getPorts().stream().anyMatch(p ->
            (backend.getPort().getNumber() != null && backend.getPort().getNumber().equals(p.getPort()))
                || (backend.getPort().getName() != null && backend.getPort().getName().equals(p.getName())));
        assertTrue(portExists, "Ingress backend port " + backend.getPort() + " is a port of Service gateway");
      }));
    }
  }
}
