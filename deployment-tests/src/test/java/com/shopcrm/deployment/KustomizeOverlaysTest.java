package com.shopcrm.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.shopcrm.deployment.Manifests.Manifest;
import com.shopcrm.deployment.Platform.Service;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code k8s/overlays/dev} and {@code prod}: they point at real files and change what they claim to. */
class KustomizeOverlaysTest {

  private final Path overlays = Manifests.k8s().resolve("overlays");
  private final List<Manifest> base =
      Manifests.readAll(Kustomization.in(Manifests.k8s().resolve("base")).resourceFilesDeep());

  private List<Path> overlayDirs() throws IOException {
    try (Stream<Path> dirs = Files.list(overlays)) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    }
  }

  /** The overlay's own resources (not the base's). */
  private static List<Manifest> ownResources(Kustomization k) {
    return Manifests.readAll(k.resources().stream().filter(Files::isRegularFile).toList());
  }

  /** JSON 6902 operations of the overlay's patches for the kind: path → value. */
  private static List<Map<String, Object>> operations(Kustomization k, String kind) {
    List<Map<String, Object>> ops = new ArrayList<>();
    for (Kustomization.Patch patch : k.patches()) {
      if (patch.file() != null && kind.equals(patch.targetKind())) {
        for (Object doc : Yamls.documents(patch.file())) {
          Yamls.list(doc).forEach(op -> ops.add(Yamls.map(op)));
        }
      }
    }
    return ops;
  }

  private static Integer replaced(List<Map<String, Object>> ops, String path) {
    return ops.stream().filter(op -> path.equals(op.get("path")) && op.get("value") instanceof Integer)
        .map(op -> (Integer) op.get("value")).reduce((a, b) -> b).orElse(null);
  }

  @Test
  void devAndProdOverlaysExistAndBuildOnTheBase() throws IOException {
    assertEquals(List.of(overlays.resolve("dev"), overlays.resolve("prod")),
        overlayDirs().stream().filter(d -> Set.of("dev", "prod").contains(d.getFileName().toString())).toList());
    for (Path dir : overlayDirs()) {
      assertTrue(Kustomization.in(dir).resources().contains(Manifests.k8s().resolve("base").normalize()),
          dir.getFileName() + " builds on ../../base");
    }
  }

  @Test
  void everyOverlayReferencesOnlyFilesThatExist() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path dir : overlayDirs()) {
      for (Path ref : Kustomization.in(dir).references()) {
        boolean ok = Files.isRegularFile(ref) || Files.isRegularFile(ref.resolve("kustomization.yaml"));
        if (!ok) {
          problems.add(Manifests.k8s().relativize(dir) + "/kustomization.yaml refers to missing " + ref);
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyPatchTargetsAResourceTheOverlayHas() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path dir : overlayDirs()) {
      Kustomization k = Kustomization.in(dir);
      List<Manifest> available = new ArrayList<>(base);
      available.addAll(ownResources(k));
      for (Kustomization.Patch patch : k.patches()) {
        if (patch.targetKind() != null) {
          boolean hit = available.stream().anyMatch(m -> m.kind().equals(patch.targetKind())
              && (patch.targetName() == null || patch.targetName().equals(m.name())));
          if (!hit) {
            problems.add(dir.getFileName() + ": patch target " + patch.targetKind() + "/" + patch.targetName() + " matches nothing");
          }
        } else if (patch.file() != null) {
          for (Manifest m : Manifests.read(patch.file())) {
            boolean hit = available.stream().anyMatch(a -> a.kind().equals(m.kind()) && a.name().equals(m.name()));
            if (!hit) {
              problems.add(dir.getFileName() + ": " + patch.file().getFileName() + " patches missing " + m.kind() + "/" + m.name());
            }
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void devRunsItsOwnPostgresWithTheFiveDatabases() throws IOException {
    Kustomization dev = Kustomization.in(overlays.resolve("dev"));
    List<Manifest> own = ownResources(dev);
    String dbHost = Manifests.named(base, ConfigMap.class, "crm-database").orElseThrow().getData().get("CRM_DB_HOST");
    StatefulSet postgres = Manifests.ofKind(own, StatefulSet.class).stream().findFirst()
        .orElseThrow(() -> new AssertionError("dev has no PostgreSQL StatefulSet"));
    assertTrue(postgres.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().startsWith("postgres:16"));
    assertTrue(Manifests.named(own, io.fabric8.kubernetes.api.model.Service.class, dbHost).isPresent(),
        "dev has a Service named like CRM_DB_HOST (" + dbHost + ")");
    assertEquals(dbHost, postgres.getSpec().getServiceName(), "the StatefulSet's governing Service");

    Set<String> created = new java.util.TreeSet<>();
    for (Path file : dev.generatorFiles()) {
      created.addAll(ComposeFileTest.PostgresInit.databases(file.getParent()));
    }
    for (Service s : Platform.SERVICES) {
      assertTrue(created.contains(s.database()), "dev's init script creates " + s.database());
    }
    assertEquals(ComposeFileTest.PostgresInit.databases(Platform.root().resolve("deploy/postgres-init")), created,
        "dev and docker compose create the same databases");
    assertEquals(List.of(), operations(dev, "Deployment"), "dev keeps the base's one replica");
    base.stream().map(Manifest::resource).filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .forEach(d -> assertEquals(1, d.getSpec().getReplicas(), d.getMetadata().getName() + " base replicas"));
  }

  @Test
  void prodUsesAnExternalDatabaseAndAtLeastTwoReplicas() {
    Kustomization prod = Kustomization.in(overlays.resolve("prod"));
    assertTrue(Manifests.ofKind(ownResources(prod), StatefulSet.class).isEmpty(), "prod runs no database itself");

    String host = null;
    for (Kustomization.Patch patch : prod.patches()) {
      if (patch.targetKind() == null && patch.file() != null) {
        host = Manifests.named(Manifests.read(patch.file()), ConfigMap.class, "crm-database")
            .map(cm -> cm.getData().get("CRM_DB_HOST")).orElse(host);
      }
    }
    String devHost = Manifests.named(base, ConfigMap.class, "crm-database").orElseThrow().getData().get("CRM_DB_HOST");
    assertTrue(host != null && !host.equals(devHost), "prod patches CRM_DB_HOST to an external server, got " + host);

    Integer replicas = replaced(operations(prod, "Deployment"), "/spec/replicas");
    Integer minReplicas = replaced(operations(prod, "HorizontalPodAutoscaler"), "/spec/minReplicas");
    assertTrue(replicas != null && replicas >= 2, "prod Deployments run 2+ replicas, got " + replicas);
    assertTrue(minReplicas != null && minReplicas >= 2, "prod autoscalers keep 2+ replicas, got " + minReplicas);
  }

  /** {@code kubectl kustomize} where kubectl is installed: the overlays build and say what they mean. */
  @Test
  void renderedOverlaysKeepEveryServiceProbedAndSizeThemAsIntended() throws Exception {
    List<Manifest> dev = render("dev");
    List<Manifest> prod = render("prod");
    for (List<Manifest> rendered : List.of(dev, prod)) {
      List<String> problems = new ArrayList<>();
      for (Service s : Platform.SERVICES) {
        Deployment d = Manifests.named(rendered, Deployment.class, s.name())
            .orElseThrow(() -> new AssertionError("rendered overlay lacks Deployment " + s.name()));
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        KubernetesBaseTest.checkProbe(problems, s, c, "startupProbe", c.getStartupProbe(), Platform.STARTED);
        KubernetesBaseTest.checkProbe(problems, s, c, "readinessProbe", c.getReadinessProbe(), Platform.READY);
        KubernetesBaseTest.checkProbe(problems, s, c, "livenessProbe", c.getLivenessProbe(), Platform.LIVE);
      }
      assertEquals(List.of(), problems);
    }
    for (Deployment d : Manifests.ofKind(dev, Deployment.class)) {
      assertEquals(1, d.getSpec().getReplicas(), "dev " + d.getMetadata().getName());
    }
    for (HorizontalPodAutoscaler h : Manifests.ofKind(dev, HorizontalPodAutoscaler.class)) {
      assertEquals(1, h.getSpec().getMaxReplicas(), "dev HPA " + h.getMetadata().getName());
    }
    assertFalse(Manifests.ofKind(dev, StatefulSet.class).isEmpty(), "dev renders its PostgreSQL");
    assertTrue(Manifests.ofKind(prod, StatefulSet.class).isEmpty(), "prod renders no PostgreSQL");
    for (Deployment d : Manifests.ofKind(prod, Deployment.class)) {
      assertTrue(d.getSpec().getReplicas() >= 2, "prod " + d.getMetadata().getName() + " replicas");
      Deployment inDev = Manifests.named(dev, Deployment.class, d.getMetadata().getName()).orElseThrow();
      var prodLimit = d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory");
      var devLimit = inDev.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory");
      assertTrue(prodLimit.getNumericalAmount().compareTo(devLimit.getNumericalAmount()) > 0,
          "prod " + d.getMetadata().getName() + " memory limit " + prodLimit + " above dev's " + devLimit);
    }
    for (HorizontalPodAutoscaler h : Manifests.ofKind(prod, HorizontalPodAutoscaler.class)) {
      assertTrue(h.getSpec().getMinReplicas() >= 2, "prod HPA " + h.getMetadata().getName());
    }
  }

  private List<Manifest> render(String overlay) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder("kubectl", "kustomize", overlays.resolve(overlay).toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      assumeTrue(false, "kubectl is not installed: rendering skipped, static checks still apply");
      throw e;
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize finished");
    assertEquals(0, process.exitValue(), "kubectl kustomize k8s/overlays/" + overlay + " succeeds");
    return Manifests.read(overlays.resolve(overlay), out);
  }
}
