package com.shopcrm.gateway.service;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.shopcrm.gateway.config.GatewayConfig;
import com.shopcrm.gateway.repository.TenantRepository;
import com.shopcrm.gateway.repository.TenantRepository.TenantRow;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;

/**
 * A shop's gateway settings (CORS origins, rate limits) as the front route needs them on every
 * request: read once and remembered for a few seconds; a change made through this instance applies
 * at once, other replicas within the TTL. Which origins any shop allows (for preflights, which carry
 * no key) is remembered the same way.
 */
@ApplicationScoped
public class TenantSettings {

  private final TenantRepository tenants;
  private final AsyncCache<String, TenantRow> byTenant;
  private final AsyncCache<String, Boolean> allowedOrigins;

  TenantSettings(TenantRepository tenants, GatewayConfig config) {
    this.tenants = tenants;
    this.byTenant = Caffeine.newBuilder().expireAfterWrite(config.cors().settingsCacheTtl()).maximumSize(100_000).buildAsync();
    this.allowedOrigins = Caffeine.newBuilder().expireAfterWrite(config.cors().settingsCacheTtl()).maximumSize(10_000).buildAsync();
  }

  /** The tenant's row; {@code null} when it does not exist. */
  public Uni<TenantRow> of(String tenantId) {
    CompletableFuture<TenantRow> cached = byTenant.getIfPresent(tenantId);
    if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()) {
      return Uni.createFrom().item(cached.join());
    }
    return Uni.createFrom().completionStage(() ->
        byTenant.get(tenantId, (id, executor) -> tenants.find(id).subscribeAsCompletionStage()));
  }

  /**
   * The tenant's row when it was read within the TTL, else {@code null} ({@link #of} reads it). Never
   * does I/O: the front route's path for a busy shop.
   */
  public TenantRow cached(String tenantId) {
    CompletableFuture<TenantRow> cached = byTenant.getIfPresent(tenantId);
    return cached != null && cached.isDone() && !cached.isCompletedExceptionally() ? cached.join() : null;
  }

  /** Whether some shop allows the origin. */
  public Uni<Boolean> anyAllows(String origin) {
    CompletableFuture<Boolean> cached = allowedOrigins.getIfPresent(origin);
    if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()) {
      return Uni.createFrom().item(cached.join());
    }
    return Uni.createFrom().completionStage(() ->
        allowedOrigins.get(origin, (o, executor) -> tenants.anyAllowsOrigin(o).subscribeAsCompletionStage()));
  }

  /** Forgets what was read (the tenant's settings changed). */
  public void changed(TenantRow row) {
    byTenant.put(row.id(), CompletableFuture.completedFuture(row));
    allowedOrigins.synchronous().invalidateAll();
  }
}
