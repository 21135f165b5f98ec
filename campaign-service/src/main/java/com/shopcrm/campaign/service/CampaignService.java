package com.shopcrm.campaign.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.campaign.config.CampaignConfig;
import com.shopcrm.campaign.model.CampaignInput;
import com.shopcrm.campaign.model.CampaignInput.Variant;
import com.shopcrm.campaign.model.CampaignResults.Launch;
import com.shopcrm.campaign.model.CampaignView;
import com.shopcrm.campaign.repository.CampaignRepository;
import com.shopcrm.campaign.repository.LaunchRepository;
import com.shopcrm.campaign.repository.LaunchRepository.Freeze;
import com.shopcrm.campaign.repository.SegmentRepository;
import com.shopcrm.campaign.repository.SegmentRepository.SegmentRow;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.Problem.FieldError;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Campaigns: definition (editable while draft) and launch. The launch runs in one transaction:
 * the campaign row is locked (a second launch waits, then finds it launched: 409), the audience
 * is frozen from the segment's rule with arms and suppressions, coupons issued and messages
 * queued for the dispatcher — all set-based.
 */
@ApplicationScoped
public class CampaignService {

  private final Pool pool;
  private final CampaignRepository campaigns;
  private final SegmentRepository segments;
  private final LaunchRepository launches;
  private final Validator validator;
  private final ObjectMapper mapper;
  private final CampaignConfig config;
  private final Clock clock;

  CampaignService(Pool pool, CampaignRepository campaigns, SegmentRepository segments, LaunchRepository launches,
      Validator validator, ObjectMapper mapper, CampaignConfig config, Clock clock) {
    this.pool = pool;
    this.campaigns = campaigns;
    this.segments = segments;
    this.launches = launches;
    this.validator = validator;
    this.mapper = mapper;
    this.config = config;
    this.clock = clock;
  }

  public Uni<CampaignView> create(SqlClient tx, TenantContext tenant, CampaignInput in) {
    List<FieldError> errors = CampaignRules.check(validator, in);
    if (!errors.isEmpty()) {
      throw invalid(errors);
    }
    return requireSegment(tx, tenant.tenantId(), in.segmentId())
        .flatMap(ignored -> campaigns.insert(tx, tenant.tenantId(), in, now()));
  }

  public Uni<CampaignView> get(TenantContext tenant, long id) {
    return campaigns.find(pool, tenant.tenantId(), id, false)
        .map(found -> found.orElseThrow(() -> notFound(id)));
  }

  public Uni<Page<CampaignView>> list(TenantContext tenant, PageRequest page) {
    return campaigns.page(pool, tenant.tenantId(), page).map(rows -> Page.of(rows, page, CampaignView::id));
  }

  /** Merges the given fields into the draft, re-validates the whole and saves it; 409 once launched. */
  public Uni<CampaignView> patch(TenantContext tenant, long id, ObjectNode changes) {
    String tenantId = tenant.tenantId();
    return pool.withTransaction(tx -> campaigns.find(tx, tenantId, id, true).flatMap(found -> {
      CampaignView current = found.orElseThrow(() -> notFound(id));
      if (!"draft".equals(current.status())) {
        throw ProblemException.conflict("campaign " + id + " is " + current.status() + "; only a draft can change");
      }
      ObjectNode merged = mapper.valueToTree(current.input());
      List<FieldError> unknown = new ArrayList<>();
      for (Iterator<String> names = changes.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!merged.has(name)) {
          unknown.add(new FieldError(name, "unknown field"));
        }
        merged.set(name, changes.get(name));
      }
      if (!unknown.isEmpty()) {
        throw invalid(unknown);
      }
      CampaignInput next;
      try {
        next = mapper.treeToValue(merged, CampaignInput.class);
      } catch (JsonMappingException e) {
        String field = e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining(".")).replace(".[", "[");
        throw ProblemException.invalid(field.isEmpty() ? "body" : field, "wrong type or value");
      } catch (JsonProcessingException e) {
        throw ProblemException.badRequest("cannot read the changes");
      }
      List<FieldError> errors = CampaignRules.check(validator, next);
      if (!errors.isEmpty()) {
        throw invalid(errors);
      }
      return requireSegment(tx, tenantId, next.segmentId())
          .flatMap(ignored -> campaigns.update(tx, tenantId, id, next, now()));
    }));
  }

  /** Freezes the audience and queues the messages; 409 (nothing changed) when not a draft. */
  public Uni<Launch> launch(SqlClient tx, TenantContext tenant, long id) {
    String tenantId = tenant.tenantId();
    OffsetDateTime now = now();
    return campaigns.find(tx, tenantId, id, true).flatMap(found -> {
      CampaignView c = found.orElseThrow(() -> notFound(id));
      if (!"draft".equals(c.status())) {
        throw ProblemException.conflict("campaign " + id + " is already " + c.status());
      }
      return segments.all(tx, tenantId).flatMap(rows -> {
        SegmentCatalog catalog = SegmentCatalog.of(rows);
        SegmentRow segment = catalog.get(c.segmentId());
        if (segment == null) {
          throw ProblemException.conflict("segment " + c.segmentId() + " of campaign " + id + " no longer exists");
        }
        Instant planned = c.schedule() != null && c.schedule().at() != null && c.schedule().at().isAfter(now)
            ? c.schedule().at().toInstant() : now.toInstant();
        Instant send = quietHours().sendTime(planned);
        OffsetDateTime sendAt = send.atOffset(ZoneOffset.UTC);
        List<String> names = c.variants().stream().map(Variant::name).toList();
        Freeze freeze = new Freeze(id, c.controlPct(), names,
            ArmAssignment.upperBounds(c.controlPct(), c.variants().stream().map(Variant::weight).toList()),
            c.channels(), config.frequencyCap(), now.minus(config.frequencyWindow()), !send.equals(planned));
        boolean coupon = c.offer() != null && "coupon".equals(c.offer().type());
        BigDecimal face = coupon && c.offer().amount() != null ? c.offer().amount() : BigDecimal.ZERO;
        return launches.freeze(tx, tenantId, freeze, catalog.condition(segment.rule(), c.segmentId(), now))
            .flatMap(frozen -> coupon
                ? launches.issueCoupons(tx, tenantId, id, face, c.offer().minSpend())
                : Uni.createFrom().item(0L))
            .flatMap(coupons -> launches.queueMessages(tx, tenantId, id, templates(c), sendAt)
                .flatMap(queued -> campaigns.markLaunched(tx, tenantId, id, now, sendAt)
                    .flatMap(ignored -> launches.audience(tx, tenantId, id))
                    .map(audience -> {
                      Log.infof("campaign %s/%d launched: audience %d, %d messages queued for %s", tenantId, id,
                          audience[0], queued, sendAt);
                      return new Launch(id, "launched", audience[0], LaunchRepository.suppressed(audience), queued,
                          coupons, sendAt);
                    })));
      });
    });
  }

  private QuietHours quietHours() {
    return new QuietHours(config.quietFrom(), config.quietUntil(), config.shopZone());
  }

  /** (arm, channel, subject, body) for every variant and chosen channel. */
  private static List<String[]> templates(CampaignView c) {
    List<String[]> rows = new ArrayList<>();
    for (Variant v : c.variants()) {
      for (String channel : c.channels()) {
        switch (channel) {
          case "sms" -> rows.add(new String[] {v.name(), channel, null, v.message().sms()});
          case "email" -> rows.add(new String[] {v.name(), channel, v.message().emailSubject(), v.message().emailBody()});
          default -> rows.add(new String[] {v.name(), channel, null, v.message().app()});
        }
      }
    }
    return rows;
  }

  private Uni<SegmentRow> requireSegment(SqlClient client, String tenantId, long segmentId) {
    return segments.find(client, tenantId, segmentId).map(found -> found.orElseThrow(
        () -> ProblemException.invalid("segment_id", "segment " + segmentId + " does not exist")));
  }

  static ProblemException invalid(List<FieldError> errors) {
    return SegmentService.invalid(errors);
  }

  static ProblemException notFound(long id) {
    return ProblemException.notFound("campaign", id);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
