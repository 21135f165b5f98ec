package com.shopcrm.gateway.service;

import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.gateway.auth.Caller;
import com.shopcrm.gateway.repository.TenantRepository;
import com.shopcrm.gateway.repository.TenantRepository.TenantRow;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Registering shops (the platform admin's business) and their gateway settings: a shop's admin key
 * may set its own CORS origins; rate limits protect the platform, so only the platform key sets them.
 */
@ApplicationScoped
public class TenantService {

  private final TenantRepository tenants;
  private final TenantSettings settings;
  private final Clock clock;

  TenantService(TenantRepository tenants, TenantSettings settings, Clock clock) {
    this.tenants = tenants;
    this.settings = settings;
    this.clock = clock;
  }

  public Uni<TenantRow> create(Caller caller, String id, String name) {
    requirePlatform(caller);
    return tenants.insert(id, name.trim(), OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
        .map(row -> {
          if (row == null) {
            throw ProblemException.conflict("A tenant with id '" + id + "' already exists.");
          }
          return row;
        });
  }

  public Uni<Page<TenantRow>> list(Caller caller, PageRequest page) {
    requirePlatform(caller);
    return tenants.list(page.after(), page.fetchSize()).map(rows -> Page.of(rows, page, TenantRow::seq));
  }

  /** One shop: the platform key, or that shop's own admin key (another shop's id is not found). */
  public Uni<TenantRow> get(Caller caller, String id) {
    requirePlatformOrOwnAdmin(caller, id);
    return tenants.find(id).map(row -> found(row, id));
  }

  /** Replaces the shop's CORS origins (already normalized): the platform key or the shop's own admin. */
  public Uni<TenantRow> setCorsOrigins(Caller caller, String id, List<String> origins) {
    requirePlatformOrOwnAdmin(caller, id);
    return tenants.updateCorsOrigins(id, origins).map(row -> changed(found(row, id)));
  }

  /** Sets the shop's rate limits ({@code null}: the default): the platform key only. */
  public Uni<TenantRow> setRateLimits(Caller caller, String id, Integer perSecond, Integer keyPerSecond) {
    if (caller.isTenantAdmin() && caller.tenantId().equals(id)) {
      throw ProblemException.forbidden("A shop's rate limits are set by the platform admin key.");
    }
    requirePlatformOrOwnAdmin(caller, id);
    return tenants.updateRateLimits(id, perSecond, keyPerSecond).map(row -> changed(found(row, id)));
  }

  private TenantRow changed(TenantRow row) {
    settings.changed(row);
    return row;
  }

  private static TenantRow found(TenantRow row, String id) {
    if (row == null) {
      throw ProblemException.notFound("tenant", id);
    }
    return row;
  }

  static void requirePlatform(Caller caller) {
    if (!caller.isPlatform()) {
      throw ProblemException.forbidden("Managing tenants needs the platform admin key.");
    }
  }

  /** Another shop's id answers 404, as if it did not exist (ARCHITECTURE §3). */
  private static void requirePlatformOrOwnAdmin(Caller caller, String id) {
    if (caller.isPlatform()) {
      return;
    }
    if (!id.equals(caller.tenantId())) {
      throw ProblemException.notFound("tenant", id);
    }
    if (!caller.isTenantAdmin()) {
      throw ProblemException.forbidden("Changing the shop's settings needs a key with role admin.");
    }
  }
}
