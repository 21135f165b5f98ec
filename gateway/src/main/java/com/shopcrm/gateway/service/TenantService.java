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

/** Registering shops: the platform admin's business only. */
@ApplicationScoped
public class TenantService {

  private final TenantRepository tenants;
  private final Clock clock;

  TenantService(TenantRepository tenants, Clock clock) {
    this.tenants = tenants;
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

  static void requirePlatform(Caller caller) {
    if (!caller.isPlatform()) {
      throw ProblemException.forbidden("Managing tenants needs the platform admin key.");
    }
  }
}
