package com.shopcrm.campaign.repository;

import com.shopcrm.campaign.Segment;
import com.shopcrm.common.page.PageRequest;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Queries on {@code segment}; every one is scoped to a tenant. */
@ApplicationScoped
@WithSession
public class SegmentRepository implements PanacheRepository<Segment> {

  /** One keyset page of the tenant's segments by id, fetching one extra row to tell a next page. */
  public Uni<List<Segment>> listPage(String tenantId, PageRequest page) {
    long after = page.after() == null ? 0L : page.after();
    return find("tenantId = :tenant and id > :after",
        Sort.by("id"),
        Parameters.with("tenant", tenantId).and("after", after))
        .range(0, page.fetchSize() - 1)
        .list();
  }
}
