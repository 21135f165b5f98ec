package com.shopcrm.scoring.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.privacy.PrivacyRequest;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.scoring.privacy.ScoringPrivacyRepository.Erased;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** Export and erasure of one customer's scores and purchase facts, for customer-service's personal-data requests. */
@ApplicationScoped
public class ScoringPrivacyService {

  private final Pool pool;
  private final ScoringPrivacyRepository privacy;
  private final ObjectMapper mapper;

  ScoringPrivacyService(Pool pool, ScoringPrivacyRepository privacy, ObjectMapper mapper) {
    this.pool = pool;
    this.privacy = privacy;
    this.mapper = mapper;
  }

  public Uni<JsonNode> export(TenantContext tenant, PrivacyRequest who) {
    return privacy.export(pool, tenant.tenantId(), who).map(this::tree);
  }

  public Uni<Erased> erase(TenantContext tenant, PrivacyRequest who) {
    return pool.withTransaction(tx -> privacy.erase(tx, tenant.tenantId(), who));
  }

  private JsonNode tree(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable export", e);
    }
  }
}
