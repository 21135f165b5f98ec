package com.shopcrm.campaign.service;

import com.shopcrm.campaign.model.SegmentResults.MembershipChanges;
import com.shopcrm.campaign.repository.MembershipRepository;
import com.shopcrm.campaign.repository.SegmentRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/**
 * Keeps saved segments' membership fresh after the read model changed: every saved segment is
 * re-evaluated for the touched customers only (one statement per segment), and each entry or exit
 * lands in the {@code segment_membership_event} outbox in the same transaction as the change.
 */
@ApplicationScoped
public class MembershipService {

  private final SegmentRepository segments;
  private final MembershipRepository members;

  MembershipService(SegmentRepository segments, MembershipRepository members) {
    this.segments = segments;
    this.members = members;
  }

  public Uni<MembershipChanges> refreshTouched(SqlClient tx, String tenantId, Long[] touched, OffsetDateTime now) {
    if (touched.length == 0) {
      return Uni.createFrom().item(new MembershipChanges(0, 0));
    }
    return segments.all(tx, tenantId).flatMap(rows -> {
      SegmentCatalog catalog = SegmentCatalog.of(rows);
      return Multi.createFrom().iterable(rows)
          .onItem().transformToUniAndConcatenate(row -> members.refresh(tx, tenantId, row.id(),
              catalog.condition(row.rule(), row.id(), now), touched, now))
          .collect().with(java.util.stream.Collectors.reducing(new MembershipChanges(0, 0), MembershipChanges::plus));
    });
  }
}
