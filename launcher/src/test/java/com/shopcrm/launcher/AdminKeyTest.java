package com.shopcrm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminKeyTest {

  @TempDir
  Path dir;

  @Test
  void environmentWinsOverTheSavedKeyAndDoesNotReplaceIt() throws Exception {
    Path saved = dir.resolve("admin-key");
    Files.writeString(saved, "crm_admin_saved\n");

    AdminKey key = AdminKey.resolve("crm_admin_from_env", saved);

    assertEquals("crm_admin_from_env", key.value());
    assertEquals(AdminKey.Source.ENVIRONMENT, key.source());
    assertEquals("crm_admin_saved\n", Files.readString(saved));
  }

  @Test
  void savedKeyIsUsedWhenTheEnvironmentHasNone() throws Exception {
    Path saved = dir.resolve("admin-key");
    Files.writeString(saved, "  crm_admin_saved  \n");

    for (String env : new String[] {null, "", "   "}) {
      AdminKey key = AdminKey.resolve(env, saved);
      assertEquals("crm_admin_saved", key.value());
      assertEquals(AdminKey.Source.SAVED, key.source());
    }
  }

  @Test
  void generatesAndSavesAKeyOnlyTheOwnerCanRead() throws Exception {
    Path saved = dir.resolve("state").resolve("admin-key");

    AdminKey generated = AdminKey.resolve(null, saved);

    assertEquals(AdminKey.Source.GENERATED, generated.source());
    assertTrue(generated.value().matches("crm_admin_[A-Za-z0-9]{40}"), generated.value());
    assertEquals(generated.value(), Files.readString(saved).trim());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
  }

  @Test
  void generatedKeyIsReusedOnTheNextStart() {
    Path saved = dir.resolve("admin-key");
    AdminKey first = AdminKey.resolve(null, saved);

    AdminKey second = AdminKey.resolve(null, saved);

    assertEquals(first.value(), second.value());
    assertEquals(AdminKey.Source.SAVED, second.source());
  }

  @Test
  void emptySavedFileCountsAsNone() throws Exception {
    Path saved = dir.resolve("admin-key");
    Files.writeString(saved, "\n");

    AdminKey key = AdminKey.resolve(null, saved);

    assertEquals(AdminKey.Source.GENERATED, key.source());
    assertFalse(key.value().isBlank());
  }

  @Test
  void generatedKeysDiffer() {
    assertNotEquals(AdminKey.generate(), AdminKey.generate());
  }
}
