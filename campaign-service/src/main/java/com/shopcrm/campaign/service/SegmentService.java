package com.shopcrm.campaign.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.campaign.model.AudienceProfileView;
import com.shopcrm.campaign.model.SegmentInput;
import com.shopcrm.campaign.model.SegmentResults.Member;
import com.shopcrm.campaign.model.SegmentResults.Refresh;
import com.shopcrm.campaign.model.SegmentResults.RulePreview;
import com.shopcrm.campaign.model.SegmentResults.Validation;
import com.shopcrm.campaign.model.SegmentView;
import com.shopcrm.campaign.repository.AudienceRepository;
import com.shopcrm.campaign.repository.MembershipRepository;
import com.shopcrm.campaign.repository.RuleCondition;
import com.shopcrm.campaign.repository.SegmentRepository;
import com.shopcrm.campaign.repository.SegmentRepository.SegmentRow;
import com.shopcrm.campaign.rule.SegmentRuleValidator;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.Problem.FieldError;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Use cases on a shop's segments: save (validated, references checked for existence and cycles),
 * count and preview over the audience read model, and membership of saved segments.
 */
@ApplicationScoped
public class SegmentService {

  public static final int DEFAULT_SAMPLE = 20;
  public static final int MAX_SAMPLE = 100;

  private final Pool pool;
  private final SegmentRepository segments;
  private final AudienceRepository audience;
  private final MembershipRepository members;
  private final Clock clock;

  SegmentService(Pool pool, SegmentRepository segments, AudienceRepository audience, MembershipRepository members,
      Clock clock) {
    this.pool = pool;
    this.segments = segments;
    this.audience = audience;
    this.members = members;
    this.clock = clock;
  }

  public Uni<Page<SegmentView>> list(TenantContext tenant, PageRequest page) {
    return segments.page(pool, tenant.tenantId(), page)
        .map(rows -> Page.of(rows, page, SegmentRow::id).map(SegmentService::view));
  }

  public Uni<SegmentView> get(TenantContext tenant, long id) {
    return segments.find(pool, tenant.tenantId(), id).map(row -> view(row.orElseThrow(() -> notFound(id))));
  }

  /** Saves a new segment and computes its first members (no entered events for this baseline). */
  public Uni<SegmentView> create(SqlClient tx, TenantContext tenant, SegmentInput input) {
    return Uni.createFrom().deferred(() -> insert(tx, tenant, input));
  }

  private Uni<SegmentView> insert(SqlClient tx, TenantContext tenant, SegmentInput input) {
    SegmentRuleValidator.Result checked = validated(input.rule());
    OffsetDateTime now = now();
    String tenantId = tenant.tenantId();
    return segments.lockTenant(tx, tenantId)
        .flatMap(locked -> segments.all(tx, tenantId))
        .flatMap(rows -> {
          SegmentCatalog catalog = SegmentCatalog.of(rows);
          RuleCondition condition = checkedCondition(catalog, null, input.rule(), checked, now);
          return segments.insert(tx, tenantId, input.name().strip(), input.description(), input.rule(),
                  sortedRefs(checked), now)
              .call(row -> members.populate(tx, tenantId, row.id(), condition, now));
        })
        .map(SegmentService::view);
  }

  /**
   * Changes a segment: {@code change} turns the stored values into the new ones (PUT replaces,
   * PATCH merges). A changed rule is re-validated (references, cycles) and membership recomputed,
   * each entry and exit recorded in the outbox.
   */
  public Uni<SegmentView> update(TenantContext tenant, long id, UnaryOperator<SegmentInput> change) {
    String tenantId = tenant.tenantId();
    OffsetDateTime now = now();
    return pool.withTransaction(tx -> segments.lockTenant(tx, tenantId)
        .flatMap(locked -> segments.all(tx, tenantId))
        .flatMap(rows -> {
          SegmentCatalog catalog = SegmentCatalog.of(rows);
          SegmentRow current = catalog.get(id);
          if (current == null) {
            throw notFound(id);
          }
          SegmentInput next = change.apply(new SegmentInput(current.name(), current.rule(), current.description()));
          boolean ruleChanged = !next.rule().equals(current.rule());
          SegmentRuleValidator.Result checked = validated(next.rule());
          RuleCondition condition = checkedCondition(catalog, id, next.rule(), checked, now);
          return segments.update(tx, tenantId, id, next.name().strip(), next.description(), next.rule(),
                  sortedRefs(checked), now)
              .call(row -> ruleChanged
                  ? members.refresh(tx, tenantId, id, condition, null, now)
                  : Uni.createFrom().voidItem());
        }))
        .map(SegmentService::view);
  }

  /** Deletes a segment and its members; 409 while another segment's rule references it. */
  public Uni<Void> delete(TenantContext tenant, long id) {
    String tenantId = tenant.tenantId();
    return pool.withTransaction(tx -> segments.lockTenant(tx, tenantId)
        .flatMap(locked -> segments.find(tx, tenantId, id))
        .flatMap(row -> {
          if (row.isEmpty()) {
            throw notFound(id);
          }
          return segments.referencedBy(tx, tenantId, id);
        })
        .flatMap(users -> {
          if (!users.isEmpty()) {
            throw ProblemException.conflict("segment " + id + " is referenced by segment(s) "
                + users.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + "; change or delete those first");
          }
          return segments.delete(tx, tenantId, id).call(deleted -> members.deleteAll(tx, tenantId, id));
        })
        .replaceWithVoid());
  }

  /** How many customers match the saved segment's rule now (one query over the read model). */
  public Uni<Long> count(TenantContext tenant, long id) {
    return saved(tenant, id).flatMap(found -> audience.count(pool, tenant.tenantId(), found));
  }

  public Uni<List<AudienceProfileView>> preview(TenantContext tenant, long id, int limit) {
    return saved(tenant, id).flatMap(found -> audience.sample(pool, tenant.tenantId(), found, limit));
  }

  /** The live count and a sample for an unsaved rule (the builder's preview). */
  public Uni<RulePreview> previewRule(TenantContext tenant, JsonNode rule, int limit) {
    SegmentRuleValidator.Result checked = validated(rule);
    OffsetDateTime now = now();
    return segments.all(pool, tenant.tenantId()).flatMap(rows -> {
      RuleCondition condition = checkedCondition(SegmentCatalog.of(rows), null, rule, checked, now);
      return audience.count(pool, tenant.tenantId(), condition)
          .flatMap(count -> audience.sample(pool, tenant.tenantId(), condition, limit)
              .map(sample -> new RulePreview(count, sample)));
    });
  }

  /** All errors of a rule, references included; an empty list means it can be saved. */
  public Uni<Validation> validate(TenantContext tenant, JsonNode rule) {
    SegmentRuleValidator.Result checked = SegmentRuleValidator.validate(rule, "rule");
    if (!checked.valid()) {
      return Uni.createFrom().item(new Validation(false, checked.errors()));
    }
    return segments.all(pool, tenant.tenantId()).map(rows -> {
      try {
        checkedCondition(SegmentCatalog.of(rows), null, rule, checked, now());
        return new Validation(true, List.of());
      } catch (ProblemException e) {
        List<FieldError> errors = e.problem().errors();
        return new Validation(false, errors == null ? List.of(new FieldError("rule", e.getMessage())) : errors);
      }
    });
  }

  public Uni<Page<Member>> members(TenantContext tenant, long id, PageRequest page) {
    return segments.find(pool, tenant.tenantId(), id)
        .flatMap(row -> {
          if (row.isEmpty()) {
            throw notFound(id);
          }
          return members.page(pool, tenant.tenantId(), id, page);
        })
        .map(rows -> Page.of(rows, page, Member::customerId));
  }

  /** Recomputes the whole membership of a saved segment (e.g. as relative dates move on). */
  public Uni<Refresh> refresh(TenantContext tenant, long id) {
    String tenantId = tenant.tenantId();
    OffsetDateTime now = now();
    return pool.withTransaction(tx -> segments.all(tx, tenantId).flatMap(rows -> {
      SegmentCatalog catalog = SegmentCatalog.of(rows);
      SegmentRow row = catalog.get(id);
      if (row == null) {
        throw notFound(id);
      }
      return members.refresh(tx, tenantId, id, catalog.condition(row.rule(), id, now), null, now)
          .flatMap(changes -> members.size(tx, tenantId, id)
              .map(size -> new Refresh(id, size, changes.entered(), changes.exited())));
    }));
  }

  private Uni<RuleCondition> saved(TenantContext tenant, long id) {
    OffsetDateTime now = now();
    return segments.all(pool, tenant.tenantId()).map(rows -> {
      SegmentCatalog catalog = SegmentCatalog.of(rows);
      SegmentRow row = catalog.get(id);
      if (row == null) {
        throw notFound(id);
      }
      return catalog.condition(row.rule(), id, now);
    });
  }

  /** The rule's structure, or a 400 problem listing every error with its path. */
  private static SegmentRuleValidator.Result validated(JsonNode rule) {
    SegmentRuleValidator.Result checked = SegmentRuleValidator.validate(rule, "rule");
    if (!checked.valid()) {
      throw invalid(checked.errors());
    }
    return checked;
  }

  /** Checks references (existence, cycles) and expansion size; the condition compiles once here. */
  private static RuleCondition checkedCondition(SegmentCatalog catalog, Long self, JsonNode rule,
      SegmentRuleValidator.Result checked, OffsetDateTime now) {
    List<FieldError> errors = catalog.checkReferences(self, checked.references());
    if (!errors.isEmpty()) {
      throw invalid(errors);
    }
    RuleCondition condition = catalog.condition(rule, self, now);
    condition.appendTo(new ArrayList<>()); // throws when the expanded rule is too large
    return condition;
  }

  private static List<Long> sortedRefs(SegmentRuleValidator.Result checked) {
    return checked.references().keySet().stream().sorted().toList();
  }

  static ProblemException invalid(List<FieldError> errors) {
    String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
    return new ProblemException(Problem.validation(detail, errors));
  }

  private static ProblemException notFound(long id) {
    return ProblemException.notFound("segment", id);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  static SegmentView view(SegmentRow row) {
    return new SegmentView(row.id(), row.name(), row.description(), row.rule(), row.refs(), row.createdAt(),
        row.updatedAt());
  }
}
