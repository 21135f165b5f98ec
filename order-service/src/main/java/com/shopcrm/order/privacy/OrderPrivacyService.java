package com.shopcrm.order.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.privacy.PrivacyRequest;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.order.privacy.OrderPrivacyRepository.Erased;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Export and erasure of one customer's orders, for customer-service's personal-data requests. */
@ApplicationScoped
public class OrderPrivacyService {

  private final Pool pool;
  private final OrderPrivacyRepository privacy;
  private final ObjectMapper mapper;
  private final Clock clock;

  OrderPrivacyService(Pool pool, OrderPrivacyRepository privacy, ObjectMapper mapper, Clock clock) {
    this.pool = pool;
    this.privacy = privacy;
    this.mapper = mapper;
    this.clock = clock;
  }

  public Uni<JsonNode> export(TenantContext tenant, PrivacyRequest who) {
    return privacy.export(pool, tenant.tenantId(), who).map(this::tree);
  }

  public Uni<Erased> erase(TenantContext tenant, PrivacyRequest who) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    return pool.withTransaction(tx -> privacy.erase(tx, tenant.tenantId(), who, now));
  }

  private JsonNode tree(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable export", e);
    }
  }
}
