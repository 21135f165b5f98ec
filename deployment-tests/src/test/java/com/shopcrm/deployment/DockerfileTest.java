package com.shopcrm.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.shopcrm.deployment.Platform.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each module's image: the fast-jar, its port, a non-root user; and its properties' default port. */
class DockerfileTest {

  private static final Pattern EXPOSE = Pattern.compile("(?m)^\\s*EXPOSE\\s+(.+)$");
  private static final Pattern USER = Pattern.compile("(?m)^\\s*USER\\s+(\\S+)");

  @Test
  void everyServiceHasAJvmDockerfileExposingItsPortAsNonRoot() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      Path dockerfile = s.module().resolve(Platform.DOCKERFILE);
      if (!Files.isRegularFile(dockerfile)) {
        problems.add(s.name() + " has no " + Platform.DOCKERFILE);
        continue;
      }
      String text = Files.readString(dockerfile);
      List<String> exposed = new ArrayList<>();
      Matcher m = EXPOSE.matcher(text);
      while (m.find()) {
        exposed.addAll(List.of(m.group(1).trim().split("\\s+")));
      }
      if (!exposed.contains(String.valueOf(s.port())) && !exposed.contains(s.port() + "/tcp")) {
        problems.add(s.name() + ": Dockerfile should EXPOSE " + s.port() + " but exposes " + exposed);
      }
      String user = finalUser(text);
      if (user == null || user.equals("root") || user.equals("0") || user.startsWith("0:")) {
        problems.add(s.name() + ": Dockerfile should end as a non-root USER, not " + user);
      }
      if (!text.contains("target/quarkus-app/")) {
        problems.add(s.name() + ": Dockerfile should copy the fast-jar from target/quarkus-app/");
      }
    }
    assertEquals(List.of(), problems);
  }

  /** The user the service's image ends as (its last {@code USER}), or null. */
  static String finalUser(Service s) throws IOException {
    return finalUser(Files.readString(s.module().resolve(Platform.DOCKERFILE)));
  }

  private static String finalUser(String dockerfile) {
    String user = null;
    Matcher u = USER.matcher(dockerfile);
    while (u.find()) {
      user = u.group(1);
    }
    return user;
  }

  @Test
  void everyServiceDefaultsToItsPortWhenCrmHttpPortIsUnset() {
    List<String> problems = new ArrayList<>();
    for (Service s : Platform.SERVICES) {
      String port = ServiceConfig.of(s).properties().getProperty("quarkus.http.port");
      String expected = "${CRM_HTTP_PORT:" + s.port() + "}";
      if (!expected.equals(port)) {
        problems.add(s.name() + ": quarkus.http.port should be " + expected + " but is " + port);
      }
    }
    assertEquals(List.of(), problems);
  }
}
