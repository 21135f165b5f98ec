package com.shopcrm.gateway.service;

import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.gateway.auth.ApiKeyAuthenticator;
import com.shopcrm.gateway.auth.ApiKeySecrets;
import com.shopcrm.gateway.auth.Caller;
import com.shopcrm.gateway.repository.ApiKeyRepository;
import com.shopcrm.gateway.repository.ApiKeyRepository.ApiKeyRow;
import com.shopcrm.gateway.repository.TenantRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Issuing, listing and revoking API keys. The platform key may do this for any shop; a shop's key
 * with role {@code admin} for its own shop only.
 */
@ApplicationScoped
public class ApiKeyService {

  public static final Set<String> ROLES = Set.of(Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION);

  /** A key just made: the stored row and the key itself, which is never shown again. */
  public record Issued(ApiKeyRow row, String key) {
  }

  private final ApiKeyRepository keys;
  private final TenantRepository tenants;
  private final ApiKeyAuthenticator authenticator;
  private final Clock clock;

  ApiKeyService(ApiKeyRepository keys, TenantRepository tenants, ApiKeyAuthenticator authenticator, Clock clock) {
    this.keys = keys;
    this.tenants = tenants;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  public Uni<Issued> issue(Caller caller, String tenantId, List<String> roles, String name) {
    requireAuthorityOver(caller, tenantId);
    List<String> checkedRoles = checkRoles(roles);
    return tenants.exists(tenantId).chain(exists -> {
      if (!exists) {
        throw ProblemException.invalid("tenant_id", "no tenant '" + tenantId + "' exists");
      }
      String key = ApiKeySecrets.generate();
      return keys.insert(UUID.randomUUID(), tenantId, name == null || name.isBlank() ? null : name.trim(), checkedRoles,
              ApiKeySecrets.hash(key), now())
          .map(row -> new Issued(row, key));
    });
  }

  /** Keys of one shop; the platform key may also list every key ({@code tenantId == null}). */
  public Uni<Page<ApiKeyRow>> list(Caller caller, String tenantId, PageRequest page) {
    String scope = tenantId;
    if (!caller.isPlatform()) {
      scope = tenantId == null ? caller.tenantId() : tenantId;
      requireAuthorityOver(caller, scope);
    }
    return keys.list(scope, page.after(), page.fetchSize()).map(rows -> Page.of(rows, page, ApiKeyRow::seq));
  }

  /** Revokes the key; it stops working on this instance at once. Unknown (or another shop's) → 404. */
  public Uni<Void> revoke(Caller caller, String id) {
    if (!caller.isPlatform() && !caller.isTenantAdmin()) {
      throw ProblemException.forbidden("Managing API keys needs the platform key or a shop key with role admin.");
    }
    UUID uuid = parseId(id);
    return keys.findById(uuid).chain(row -> {
      boolean visible = row != null && (caller.isPlatform() || caller.tenantId().equals(row.tenantId()));
      if (!visible) {
        throw ProblemException.notFound("API key", id);
      }
      return keys.revoke(uuid, now()).invoke(hash -> {
        if (hash != null) {
          authenticator.forget(hash);
        }
      }).replaceWithVoid();
    });
  }

  private static void requireAuthorityOver(Caller caller, String tenantId) {
    if (caller.isPlatform()) {
      return;
    }
    if (!caller.isTenantAdmin()) {
      throw ProblemException.forbidden("Managing API keys needs the platform key or a shop key with role admin.");
    }
    if (!caller.tenantId().equals(tenantId)) {
      throw ProblemException.forbidden("A shop's admin key manages only that shop's keys.");
    }
  }

  private static List<String> checkRoles(List<String> roles) {
    if (roles == null || roles.isEmpty()) {
      throw ProblemException.invalid("roles", "give at least one of " + allowed());
    }
    Set<String> out = new LinkedHashSet<>();
    for (String role : roles) {
      if (role == null || !ROLES.contains(role)) {
        throw ProblemException.invalid("roles", "unknown role '" + role + "'; allowed: " + allowed());
      }
      out.add(role);
    }
    return List.copyOf(out);
  }

  private static String allowed() {
    return String.join(", ", List.of(Roles.ADMIN, Roles.MARKETER, Roles.AGENT, Roles.ANALYST, Roles.INTEGRATION));
  }

  private static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("API key", id);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
