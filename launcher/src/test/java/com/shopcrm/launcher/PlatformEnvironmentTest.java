package com.shopcrm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformEnvironmentTest {

  @TempDir
  Path root;

  private final DatabaseTarget db =
      new DatabaseTarget(DatabaseTarget.Kind.LOCAL, "127.0.0.1", 5432, "postgres", "pw", null);

  private Platform platform(Map<String, String> env) {
    PlatformConfig config = PlatformConfig.defaults(root, env).withPortBase(18080).withDbPrefix("crm_e2e_");
    return new Platform(config, new PrintWriter(new StringWriter()));
  }

  @Test
  void gatewayGetsSigningKeyAdminKeyAndBackendUrls() {
    KeyFiles keys = new KeyFiles(root.resolve("k/privateKey.pem"), root.resolve("k/publicKey.pem"));
    Map<String, String> env = platform(Map.of("PATH", "/usr/bin")).environment(ServiceSpec.GATEWAY, db, keys,
        new AdminKey("crm_admin_x", AdminKey.Source.SAVED));

    assertEquals("18080", env.get("CRM_HTTP_PORT"));
    assertEquals("crm_e2e_gateway", env.get("CRM_DB_NAME"));
    assertEquals("crm_admin_x", env.get("CRM_BOOTSTRAP_ADMIN_KEY"));
    assertEquals(keys.privateKey().toString(), env.get("CRM_JWT_PRIVATE_KEY_LOCATION"));
    assertEquals("http://127.0.0.1:18081", env.get("CRM_CUSTOMER_URL"));
    assertEquals("http://127.0.0.1:18084", env.get("CRM_CAMPAIGN_URL"));
    assertEquals("/usr/bin", env.get("PATH"));
  }

  @Test
  void backendsGetTheirDatabaseAndPublicKeyButNoAdminKeyOrLauncherSettings() {
    KeyFiles keys = new KeyFiles(root.resolve("k/privateKey.pem"), root.resolve("k/publicKey.pem"));
    Map<String, String> env = platform(Map.of("CRM_BOOTSTRAP_ADMIN_KEY", "crm_admin_env",
        "CRM_DB_URL", "postgresql://elsewhere")).environment(ServiceSpec.SCORING, db, keys,
        new AdminKey("crm_admin_env", AdminKey.Source.ENVIRONMENT));

    assertEquals("18083", env.get("CRM_HTTP_PORT"));
    assertEquals("crm_e2e_scoring", env.get("CRM_DB_NAME"));
    assertEquals("127.0.0.1", env.get("CRM_DB_HOST"));
    assertEquals("5432", env.get("CRM_DB_PORT"));
    assertEquals("pw", env.get("CRM_DB_PASSWORD"));
    assertEquals(keys.publicKey().toString(), env.get("CRM_JWT_PUBLIC_KEY_LOCATION"));
    assertFalse(env.containsKey("CRM_BOOTSTRAP_ADMIN_KEY"));
    assertFalse(env.containsKey("CRM_DB_URL"));
    assertEquals("http://127.0.0.1:18082", env.get("CRM_ORDER_URL"), "services call each other with the port base applied");
  }

  @Test
  void everyServiceGetsTheGeneratedPrivateKeyNotTheLaunchersOwnAndKeepsThePublicKey() {
    KeyFiles keys = new KeyFiles(root.resolve("k/privateKey.pem"), root.resolve("k/publicKey.pem"));
    // A private key location in the launcher's own environment must not reach the services.
    Platform platform = platform(Map.of("CRM_JWT_PRIVATE_KEY_LOCATION", "/elsewhere/privateKey.pem"));
    AdminKey admin = new AdminKey("crm_admin_x", AdminKey.Source.SAVED);

    Map<String, String> holders = new TreeMap<>();
    for (ServiceSpec s : ServiceSpec.all()) {
      Map<String, String> env = platform.environment(s, db, keys, admin);
      assertEquals(keys.publicKey().toString(), env.get("CRM_JWT_PUBLIC_KEY_LOCATION"), s.name());
      if (env.containsKey("CRM_JWT_PRIVATE_KEY_LOCATION")) {
        holders.put(s.name(), env.get("CRM_JWT_PRIVATE_KEY_LOCATION"));
      }
    }

    String key = keys.privateKey().toString();
    assertEquals(Map.of("gateway", key, "customer-service", key, "order-service", key, "scoring-service", key,
        "campaign-service", key), holders);
  }
}
