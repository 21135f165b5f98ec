package com.shopcrm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

  @Test
  void readsHostPortAndDatabase() {
    DatabaseTarget t = DatabaseUrl.parse("postgresql://db.example.com:6543/admin", "crm", "secret");
    assertEquals("db.example.com", t.host());
    assertEquals(6543, t.port());
    assertEquals("admin", t.maintenanceDatabase());
    assertEquals("crm", t.user());
    assertEquals("secret", t.password());
    assertEquals(DatabaseTarget.Kind.CONFIGURED, t.kind());
  }

  @Test
  void acceptsTheJdbcForm() {
    DatabaseTarget t = DatabaseUrl.parse("jdbc:postgresql://10.0.0.5:5433/crm", null, null);
    assertEquals("10.0.0.5", t.host());
    assertEquals(5433, t.port());
    assertEquals("crm", t.maintenanceDatabase());
  }

  @Test
  void defaultsPortDatabaseAndCredentials() {
    DatabaseTarget t = DatabaseUrl.parse("postgresql://pg", null, null);
    assertEquals("pg", t.host());
    assertEquals(5432, t.port());
    assertEquals("postgres", t.maintenanceDatabase());
    assertEquals("postgres", t.user());
    assertEquals("postgres", t.password());
  }

  @Test
  void acceptsTrailingSlashQueryAndHostsWithUnderscores() {
    DatabaseTarget t = DatabaseUrl.parse("postgres://crm_db:5432/?sslmode=disable", null, null);
    assertEquals("crm_db", t.host());
    assertEquals("postgres", t.maintenanceDatabase());
  }

  @Test
  void readsIpv6Hosts() {
    DatabaseTarget t = DatabaseUrl.parse("postgresql://[::1]:5432/postgres", null, null);
    assertEquals("::1", t.host());
    assertEquals("jdbc:postgresql://[::1]:5432/crm_customer", t.jdbcUrl("crm_customer"));
  }

  @Test
  void environmentCredentialsWinOverTheUrls() {
    DatabaseTarget fromUrl = DatabaseUrl.parse("postgresql://alice:p%40ss@pg:5432/db", null, null);
    assertEquals("alice", fromUrl.user());
    assertEquals("p@ss", fromUrl.password());

    DatabaseTarget fromEnv = DatabaseUrl.parse("postgresql://alice:pass@pg:5432/db", "bob", "other");
    assertEquals("bob", fromEnv.user());
    assertEquals("other", fromEnv.password());
  }

  @Test
  void rejectsOtherSchemesAndShapesWithTheExpectedForm() {
    for (String bad : new String[] {"mysql://h:3306/db", "postgresql://", "postgresql://h:notaport/db",
        "postgresql://h:99999/db", "h:5432", "postgresql://h:5432/a/b", " "}) {
      PlatformException e = assertThrows(PlatformException.class, () -> DatabaseUrl.parse(bad, null, null), bad);
      assertTrue(e.getMessage().contains("postgresql://host:port"), e.getMessage());
    }
  }

  @Test
  void errorMessagesHideThePassword() {
    PlatformException e = assertThrows(PlatformException.class,
        () -> DatabaseUrl.parse("mysql://u:hunter2@h/db", null, null));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }
}
