package com.shopcrm.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.deployment.Platform.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code docker-compose.yml} runs the five services as the platform table and their properties say. */
class ComposeFileTest {

  private final ComposeFile compose = ComposeFile.load();

  @Test
  void buildsEveryServiceFromItsOwnDockerfile() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      Map<String, Object> service = compose.service(s.name());
      Object context = Yamls.at(service, "build.context");
      Object dockerfile = Yamls.at(service, "build.dockerfile");
      if (context == null || !Platform.root().resolve(String.valueOf(context)).normalize().equals(s.module())) {
        problems.add(s.name() + ": build.context should be ./" + s.name() + " but is " + context);
      }
      if (!Platform.DOCKERFILE.equals(dockerfile)) {
        problems.add(s.name() + ": build.dockerfile should be " + Platform.DOCKERFILE + " but is " + dockerfile);
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyServiceListensOnItsPortAndIsCheckedForReadinessThere() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      String port = compose.environment(s.name()).get("CRM_HTTP_PORT");
      if (!String.valueOf(s.port()).equals(port)) {
        problems.add(s.name() + ": CRM_HTTP_PORT should be " + s.port() + " but is " + port);
      }
      String check = compose.healthcheck(s.name());
      if (check == null || !check.contains("http://localhost:" + s.port() + Platform.READY)) {
        problems.add(s.name() + ": healthcheck should call http://localhost:" + s.port() + Platform.READY + " but is " + check);
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void givesServicesOnlyVariablesTheirPropertiesRead() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      ServiceConfig config = ServiceConfig.of(s);
      for (String name : compose.environment(s.name()).keySet()) {
        if (!config.reads(name)) {
          problems.add(s.name() + " is given " + name + ", which its application.properties never reads");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void providesEveryVariableAServiceCannotStartWithout() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      Set<String> missing = new TreeSet<>(ServiceConfig.of(s).required());
      missing.removeAll(compose.environment(s.name()).keySet());
      if (!missing.isEmpty()) {
        problems.add(s.name() + " needs " + missing + " (no default in its application.properties)");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void eachServiceUsesItsOwnDatabaseOnTheComposePostgres() throws IOException {
    Set<String> created = PostgresInit.databases(Platform.root().resolve("deploy/postgres-init"));
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      Map<String, String> env = compose.environment(s.name());
      if (!s.database().equals(env.get("CRM_DB_NAME"))) {
        problems.add(s.name() + ": CRM_DB_NAME should be " + s.database() + " but is " + env.get("CRM_DB_NAME"));
      }
      if (!created.contains(s.database())) {
        problems.add("deploy/postgres-init does not create " + s.database());
      }
      if (!compose.services().containsKey(env.get("CRM_DB_HOST"))) {
        problems.add(s.name() + ": CRM_DB_HOST " + env.get("CRM_DB_HOST") + " is not a compose service");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void postgresIsVersion16WithInitScriptsAndAReadinessCheck() {
    Map<String, Object> postgres = compose.service("postgres");
    assertTrue(String.valueOf(postgres.get("image")).startsWith("postgres:16"), "image " + postgres.get("image"));
    String check = compose.healthcheck("postgres");
    assertTrue(check != null && check.contains("pg_isready"), "postgres healthcheck uses pg_isready: " + check);
    String init = compose.mounts("postgres").get("/docker-entrypoint-initdb.d");
    assertTrue(init != null && Platform.root().resolve(init).normalize().equals(Platform.root().resolve("deploy/postgres-init")),
        "deploy/postgres-init is mounted at /docker-entrypoint-initdb.d, got " + init);
  }

  @Test
  void startsServicesOnlyOnceWhatTheyNeedIsHealthy() {
    List<String> problems = new ArrayList<>();
    for (String name : compose.services().keySet()) {
      compose.dependsOn(name).forEach((dependency, condition) -> {
        if (!compose.services().containsKey(dependency)) {
          problems.add(name + " depends on unknown service " + dependency);
          return;
        }
        boolean oneShot = compose.healthcheck(dependency) == null && !compose.service(dependency).containsKey("restart");
        String expected = oneShot ? "service_completed_successfully" : "service_healthy";
        if (!expected.equals(condition)) {
          problems.add(name + " should wait for " + dependency + " with " + expected + ", not " + condition);
        }
        if (!oneShot && compose.healthcheck(dependency) == null) {
          problems.add(dependency + " has no healthcheck, so " + name + " cannot wait for it to be healthy");
        }
      });
    }
    for (Service s : Platform.SERVICES) {
      if (!"service_healthy".equals(compose.dependsOn(s.name()).get("postgres"))) {
        problems.add(s.name() + " should wait for postgres to be healthy");
      }
    }
    Map<String, String> gatewayDeps = compose.dependsOn("gateway");
    for (Service upstream : Platform.upstreams()) {
      if (!"service_healthy".equals(gatewayDeps.get(upstream.name()))) {
        problems.add("gateway should wait for " + upstream.name() + " to be healthy");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void publishesOnlyTheGatewayOnItsPort() {
    List<String> published = new ArrayList<>();
    compose.services().forEach((name, service) -> {
      if (Yamls.map(service).containsKey("ports")) {
        published.add(name);
      }
    });
    assertEquals(List.of("gateway"), published);
    List<Object> ports = Yamls.list(compose.service("gateway").get("ports"));
    assertTrue(ports.stream().map(String::valueOf).anyMatch(p -> p.endsWith(":8080") || p.equals("8080")),
        "gateway publishes its container port 8080: " + ports);
  }

  @Test
  void everyCallerReachesTheServicesItCallsByComposeNameAndPort() {
    // The gateway routes to all four; order-service creates customers and delivers events;
    // scoring-service resyncs from order-service. Defaults (127.0.0.1) are wrong in a container.
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      Map<String, String> env = compose.environment(s.name());
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
  void keyFilesSitOnMountedVolumes() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      Map<String, String> mounts = compose.mounts(s.name());
      keyLocations(s).forEach((variable, location) -> {
        if (!mounts.containsKey(Path.of(location).getParent().toString())) {
          problems.add(s.name() + ": " + variable + "=" + location + " is not on a mounted volume");
        }
      });
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void privateKeyGoesExactlyToTheTokenSignersFromOneVolume() {
    List<String> given = new ArrayList<>();
    Set<String> privateVolumes = new TreeSet<>();
    for (Service s : Platform.SERVICES) {
      String location = compose.environment(s.name()).get(PRIVATE_KEY);
      if (location != null) {
        given.add(s.name());
        String volume = compose.mounts(s.name()).get(Path.of(location).getParent().toString());
        if (volume != null) {
          privateVolumes.add(volume);
        }
      }
    }
    assertEquals(Platform.tokenSigners(), given, "the services given " + PRIVATE_KEY);
    assertEquals(1, privateVolumes.size(), "every signer reads the one private key volume: " + privateVolumes);
    String privateVolume = privateVolumes.iterator().next();

    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      Map<String, String> mounts = compose.mounts(s.name());
      List<String> targets = mounts.entrySet().stream()
          .filter(e -> e.getValue().equals(privateVolume)).map(Map.Entry::getKey).toList();
      if (!s.signsInternalTokens() && !targets.isEmpty()) {
        problems.add(s.name() + " mounts the private key volume " + privateVolume + " at " + targets);
      }
      for (String target : targets) {
        if (!compose.readOnlyTargets(s.name()).contains(target)) {
          problems.add(s.name() + " mounts the private key volume at " + target + " writable, not :ro");
        }
      }
      if (!s.isGateway() && !compose.environment(s.name()).containsKey(PUBLIC_KEY)) {
        problems.add(s.name() + " verifies incoming tokens but is not given " + PUBLIC_KEY);
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void keysContainerHandsThePrivateKeyToTheUserEverySignerRunsAs() throws IOException {
    String location = compose.environment("gateway").get(PRIVATE_KEY);
    String privateVolume = compose.mounts("gateway").get(Path.of(location).getParent().toString());
    // The generator: the one service that mounts the private key volume writable.
    List<String> generators = compose.services().keySet().stream()
        .filter(name -> compose.mounts(name).entrySet().stream().anyMatch(e -> e.getValue().equals(privateVolume)
            && !compose.readOnlyTargets(name).contains(e.getKey())))
        .toList();
    assertEquals(1, generators.size(), "one init container writes the private key: " + generators);
    String generator = generators.get(0);
    String dir = compose.mounts(generator).entrySet().stream()
        .filter(e -> e.getValue().equals(privateVolume)).map(Map.Entry::getKey).findFirst().orElseThrow();
    String file = dir + "/" + Path.of(location).getFileName();
    String script = Yamls.list(compose.service(generator).get("command")).stream().map(String::valueOf)
        .collect(Collectors.joining("\n"));
    Matcher chown = Pattern.compile("chown\\s+(\\d+)(?::\\d+)?\\s+" + Pattern.quote(file)).matcher(script);
    assertTrue(chown.find(), generator + " chowns " + file + " to a numeric uid: " + script);
    String owner = chown.group(1);

    List<String> problems = new ArrayList<>();
    for (String signer : Platform.tokenSigners()) {
      String user = DockerfileTest.finalUser(Platform.byName(signer).orElseThrow());
      if (!owner.equals(user)) {
        problems.add(signer + " runs as USER " + user + ", but " + file + " belongs to uid " + owner);
      }
    }
    assertEquals(List.of(), problems);
  }

  private static final String PRIVATE_KEY = "CRM_JWT_PRIVATE_KEY_LOCATION";
  private static final String PUBLIC_KEY = "CRM_JWT_PUBLIC_KEY_LOCATION";

  /** The service's {@code CRM_JWT_*_LOCATION} variables. */
  private Map<String, String> keyLocations(Service s) {
    Map<String, String> result = new TreeMap<>();
    compose.environment(s.name()).forEach((k, v) -> {
      if (k.startsWith("CRM_JWT_") && k.endsWith("_LOCATION")) {
        result.put(k, v);
      }
    });
    return result;
  }

  /** The databases the init scripts create. */
  static final class PostgresInit {
    private static final java.util.regex.Pattern CREATE =
        java.util.regex.Pattern.compile("(?i)CREATE\\s+DATABASE\\s+\"?([a-z0-9_]+)\"?");

    static Set<String> databases(Path dir) throws IOException {
      Set<String> names = new TreeSet<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path sql : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
          var m = CREATE.matcher(Files.readString(sql));
          while (m.find()) {
            names.add(m.group(1));
          }
        }
      }
      return names;
    }
  }
}
