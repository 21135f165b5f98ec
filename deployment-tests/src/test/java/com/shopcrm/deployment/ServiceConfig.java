package com.shopcrm.deployment;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's {@code application.properties} reads from the environment, derived at test
 * time (other engineers keep editing those files): every {@code ${VAR}} / {@code ${VAR:default}}
 * reference, and, since MicroProfile Config maps environment variables onto properties, the
 * environment spelling of every property key it sets ({@code quarkus.http.port} ↔
 * {@code QUARKUS_HTTP_PORT}).
 */
record ServiceConfig(Path file, Properties properties, Set<String> referenced, Set<String> required,
    Set<String> keysAsEnv) {

  /** An environment-style reference: upper case name, then ':' when a default follows. */
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:?)");

  static ServiceConfig of(Platform.Service service) {
    Path file = service.module().resolve("src/main/resources/application.properties");
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(service.name() + " has no " + service.module().relativize(file)
          + ": cannot tell which environment variables it reads");
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
    Set<String> referenced = new TreeSet<>();
    Set<String> required = new TreeSet<>();
    Set<String> keysAsEnv = new TreeSet<>();
    for (String key : properties.stringPropertyNames()) {
      String profile = key.startsWith("%") ? key.substring(1, Math.max(1, key.indexOf('.'))) : null;
      boolean inProduction = profile == null || profile.equals("prod");
      Matcher m = REFERENCE.matcher(properties.getProperty(key));
      while (m.find()) {
        referenced.add(m.group(1));
        if (m.group(2).isEmpty() && inProduction) {
          required.add(m.group(1));
        }
      }
      if (profile == null) {
        keysAsEnv.add(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
      }
    }
    return new ServiceConfig(file, properties, referenced, required, keysAsEnv);
  }

  /** Whether setting this environment variable changes the service's configuration. */
  boolean reads(String environmentVariable) {
    return referenced.contains(environmentVariable) || keysAsEnv.contains(environmentVariable);
  }
}
