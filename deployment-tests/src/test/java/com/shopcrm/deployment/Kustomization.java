package com.shopcrm.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One {@code kustomization.yaml} and the files and folders it points at. */
record Kustomization(Path dir, Map<String, Object> spec) {

  /** A patch entry: its file (if any) and its target selector (kind, name; null when absent). */
  record Patch(Path file, String targetKind, String targetName) {
  }

  static Kustomization in(Path dir) {
    Path file = dir.resolve("kustomization.yaml");
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(dir + " has no kustomization.yaml");
    }
    return new Kustomization(dir, Yamls.single(file));
  }

  List<Path> resources() {
    return paths(Yamls.list(spec.get("resources")));
  }

  List<Patch> patches() {
    List<Patch> patches = new ArrayList<>();
    for (Object entry : Yamls.list(spec.get("patches"))) {
      Map<String, Object> p = Yamls.map(entry);
      Map<String, Object> target = Yamls.map(p.get("target"));
      patches.add(new Patch(p.containsKey("path") ? dir.resolve(String.valueOf(p.get("path"))).normalize() : null,
          (String) target.get("kind"), (String) target.get("name")));
    }
    for (Object path : Yamls.list(spec.get("patchesStrategicMerge"))) {
      patches.add(new Patch(dir.resolve(String.valueOf(path)).normalize(), null, null));
    }
    for (Object entry : Yamls.list(spec.get("patchesJson6902"))) {
      Map<String, Object> p = Yamls.map(entry);
      Map<String, Object> target = Yamls.map(p.get("target"));
      patches.add(new Patch(dir.resolve(String.valueOf(p.get("path"))).normalize(),
          (String) target.get("kind"), (String) target.get("name")));
    }
    return patches;
  }

  /** Files read by configMapGenerator / secretGenerator ({@code [key=]path}). */
  List<Path> generatorFiles() {
    List<Path> files = new ArrayList<>();
    for (String generator : List.of("configMapGenerator", "secretGenerator")) {
      for (Object entry : Yamls.list(spec.get(generator))) {
        for (Object file : Yamls.list(Yamls.map(entry).get("files"))) {
          String text = String.valueOf(file);
          files.add(dir.resolve(text.substring(text.indexOf('=') + 1)).normalize());
        }
        Object envFile = Yamls.map(entry).get("envs");
        for (Object env : Yamls.list(envFile)) {
          files.add(dir.resolve(String.valueOf(env)).normalize());
        }
      }
    }
    return files;
  }

  /** Every path this kustomization refers to, which must exist. */
  List<Path> references() {
    List<Path> all = new ArrayList<>(resources());
    all.addAll(paths(Yamls.list(spec.get("components"))));
    patches().stream().map(Patch::file).filter(f -> f != null).forEach(all::add);
    all.addAll(generatorFiles());
    return all;
  }

  /** Resource files, following folders that are kustomizations themselves. */
  List<Path> resourceFilesDeep() {
    List<Path> files = new ArrayList<>();
    for (Path resource : resources()) {
      if (Files.isDirectory(resource)) {
        files.addAll(Kustomization.in(resource).resourceFilesDeep());
      } else {
        files.add(resource);
      }
    }
    return files;
  }

  private List<Path> paths(List<Object> entries) {
    return entries.stream().map(e -> dir.resolve(String.valueOf(e)).normalize()).toList();
  }
}
