package com.shopcrm.campaign.service;

import com.shopcrm.campaign.Segment;
import com.shopcrm.campaign.repository.SegmentRepository;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Use cases on a shop's segments. */
@ApplicationScoped
public class SegmentService {

  private final SegmentRepository segments;

  SegmentService(SegmentRepository segments) {
    this.segments = segments;
  }

  public Uni<Page<Segment>> list(TenantContext tenant, PageRequest page) {
    return segments.listPage(tenant.tenantId(), page)
        .map(rows -> Page.of(rows, page, segment -> segment.id));
  }
}
