package com.shopcrm.campaign.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.campaign.model.TriggerInput;
import com.shopcrm.campaign.model.TriggerResults.Firing;
import com.shopcrm.campaign.model.TriggerView;
import com.shopcrm.campaign.repository.SegmentRepository;
import com.shopcrm.campaign.repository.TriggerRepository;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.Problem.FieldError;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Trigger definitions: create, read, edit (enable/disable, templates, wait, condition) and their firings. */
@ApplicationScoped
public class TriggerService {

  private final Pool pool;
  private final TriggerRepository triggers;
  private final SegmentRepository segments;
  private final Validator validator;
  private final ObjectMapper mapper;
  private final Clock clock;

  TriggerService(Pool pool, TriggerRepository triggers, SegmentRepository segments, Validator validator,
      ObjectMapper mapper, Clock clock) {
    this.pool = pool;
    this.triggers = triggers;
    this.segments = segments;
    this.validator = validator;
    this.mapper = mapper;
    this.clock = clock;
  }

  public Uni<TriggerView> create(SqlClient tx, TenantContext tenant, TriggerInput in) {
    List<FieldError> errors = TriggerRules.check(validator, in);
    if (!errors.isEmpty()) {
      throw SegmentService.invalid(errors);
    }
    return requireSegment(tx, tenant.tenantId(), in.segmentId())
        .flatMap(ignored -> triggers.insert(tx, tenant.tenantId(), in, now()));
  }

  public Uni<TriggerView> get(TenantContext tenant, long id) {
    return triggers.find(pool, tenant.tenantId(), id, false).map(found -> found.orElseThrow(() -> notFound(id)));
  }

  public Uni<Page<TriggerView>> list(TenantContext tenant, PageRequest page) {
    return triggers.page(pool, tenant.tenantId(), page).map(rows -> Page.of(rows, page, TriggerView::id));
  }

  /**
   * Merges the given fields into the trigger, re-validates the whole and saves it; {@code kind}
   * cannot change (occasions mean something else per kind). Re-enabling moves {@code active_since}.
   */
  public Uni<TriggerView> patch(TenantContext tenant, long id, ObjectNode changes) {
    String tenantId = tenant.tenantId();
    return pool.withTransaction(tx -> triggers.find(tx, tenantId, id, true).flatMap(found -> {
      TriggerView current = found.orElseThrow(() -> notFound(id));
      List<FieldError> unknown = new ArrayList<>();
      ObjectNode merged = MergePatch.merge(mapper, current.input(), changes, unknown);
      if (changes.has("kind") && !changes.get("kind").asText().equals(current.kind())) {
        unknown.add(new FieldError("kind", "cannot change; create another trigger"));
      }
      if (!unknown.isEmpty()) {
        throw SegmentService.invalid(unknown);
      }
      TriggerInput next = MergePatch.read(mapper, merged, TriggerInput.class);
      List<FieldError> errors = TriggerRules.check(validator, next);
      if (!errors.isEmpty()) {
        throw SegmentService.invalid(errors);
      }
      return requireSegment(tx, tenantId, next.segmentId())
          .flatMap(ignored -> triggers.update(tx, tenantId, id, next, now()));
    }));
  }

  /** What the trigger fired, by firing id; 404 for a trigger of another shop. */
  public Uni<Page<Firing>> firings(TenantContext tenant, long id, Long customerId, PageRequest page) {
    String tenantId = tenant.tenantId();
    return triggers.find(pool, tenantId, id, false).flatMap(found -> {
      if (found.isEmpty()) {
        throw notFound(id);
      }
      return triggers.firings(pool, tenantId, id, customerId, page).map(rows -> Page.of(rows, page, Firing::id));
    });
  }

  private Uni<Void> requireSegment(SqlClient client, String tenantId, Long segmentId) {
    if (segmentId == null) {
      return Uni.createFrom().voidItem();
    }
    return segments.find(client, tenantId, segmentId).map(found -> {
      if (found.isEmpty()) {
        throw ProblemException.invalid("segment_id", "segment " + segmentId + " does not exist");
      }
      return null;
    });
  }

  static ProblemException notFound(long id) {
    return ProblemException.notFound("trigger", id);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
