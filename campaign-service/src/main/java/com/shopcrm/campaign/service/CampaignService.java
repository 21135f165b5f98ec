package com.shopcrm.campaign.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.campaign.config.CampaignConfig;
import com.shopcrm.campaign.config.LaunchConfig;
import com.shopcrm.campaign.model.CampaignInput;
import com.shopcrm.campaign.model.CampaignInput.Schedule;
import com.shopcrm.campaign.model.CampaignInput.Variant;
import com.shopcrm.campaign.model.CampaignResults.Launch;
import com.shopcrm.campaign.model.CampaignView;
import com.shopcrm.campaign.repository.CampaignRepository;
import com.shopcrm.campaign.repository.LaunchRepository;
import com.shopcrm.campaign.repository.LaunchRepository.Plan;
import com.shopcrm.campaign.repository.RuleCondition;
import com.shopcrm.campaign.repository.SegmentRepository;
import com.shopcrm.campaign.repository.SegmentRepository.SegmentRow;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.Problem.FieldError;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Campaigns: definition (editable while draft) and launch. A launch freezes the audience from the
 * segment's rule with arms and suppressions, issues coupons and queues messages for the
 * dispatcher in one transaction holding the campaign row (a second launch waits, then finds it
 * launching or launched: 409) — one set-based statement; large audiences in the background.
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
  private final LaunchConfig launchConfig;
  private final Clock clock;

  CampaignService(Pool pool, CampaignRepository campaigns, SegmentRepository segments, LaunchRepository launches,
      Validator validator, ObjectMapper mapper, CampaignConfig config, LaunchConfig launchConfig, Clock clock) {
    this.pool = pool;
    this.campaigns = campaigns;
    this.segments = segments;
    this.launches = launches;
    this.validator = validator;
    this.mapper = mapper;
    this.config = config;
    this.launchConfig = launchConfig;
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
      List<FieldError> unknown = new ArrayList<>();
      ObjectNode merged = MergePatch.merge(mapper, current.input(), changes, unknown);
      if (!unknown.isEmpty()) {
        throw invalid(unknown);
      }
      CampaignInput next = MergePatch.read(mapper, merged, CampaignInput.class);
      List<FieldError> errors = CampaignRules.check(validator, next);
      if (!errors.isEmpty()) {
        throw invalid(errors);
      }
      return requireSegment(tx, tenantId, next.segmentId())
          .flatMap(ignored -> campaigns.update(tx, tenantId, id, next, now()));
    }));
  }

  /**
   * Launches a draft; 409 (nothing changed) when it is not one. An audience of up to
   * {@code crm.campaign.launch.inline-max} profiles is frozen in this transaction and the answer
   * carries the counts (status {@code launched}). A larger one is only marked {@code launching}
   * here: a background transaction, started now, waits for this one's row lock (so it begins when
   * this commits, and finds a draft again and does nothing when this rolls back), freezes it and
   * marks it {@code launched}.
   */
  public Uni<Launch> launch(SqlClient tx, TenantContext tenant, long id) {
    String tenantId = tenant.tenantId();
    OffsetDateTime now = now();
    return campaigns.find(tx, tenantId, id, true).flatMap(found -> {
      CampaignView c = found.orElseThrow(() -> notFound(id));
      if (!"draft".equals(c.status())) {
        throw ProblemException.conflict("campaign " + id + " is already " + c.status());
      }
      if (c.schedule() != null && c.schedule().recurring()) {
        return schedule(tx, tenantId, c, now);
      }
      return segments.all(tx, tenantId).flatMap(rows -> {
        SegmentCatalog catalog = SegmentCatalog.of(rows);
        RuleCondition rule = rule(catalog, c, now);
        long inlineMax = launchConfig.inlineMax();
        return launches.audienceUpTo(tx, tenantId, rule, inlineMax + 1).flatMap(size -> size <= inlineMax
            ? freezeAndQueue(tx, tenantId, c, catalog, now)
            : launches.markLaunching(tx, tenantId, id, now)
                .invoke(() -> launchInBackground(tenantId, id))
                .replaceWith(Launch.pending(id, "launching", null)));
      });
    });
  }

  /**
   * Campaigns left {@code launching} by a process that stopped mid-launch (its transaction rolled
   * back, nothing was written) are launched again; one still running holds its row and is skipped.
   */
  @Scheduled(identity = "campaign-launch-resume", every = "${crm.campaign.launch.resume-every:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public Uni<Void> resumeLaunches() {
    return launches.launching(pool).flatMap(list -> Multi.createFrom().iterable(list)
        .onItem().transformToUniAndConcatenate(row -> runLaunching((String) row[0], (Long) row[1], false)
            .onFailure().call(failure -> failed((String) row[0], (Long) row[1], failure))
            .onFailure().recoverWithNull())
        .collect().asList()
        .replaceWithVoid());
  }

  private void launchInBackground(String tenantId, long id) {
    runLaunching(tenantId, id, true)
        .onFailure().call(failure -> failed(tenantId, id, failure))
        .subscribe().with(launch -> { }, failure -> { });
  }

  /** A launch marked {@code launching}, in its own transaction; null when there is none to run. */
  private Uni<Launch> runLaunching(String tenantId, long id, boolean wait) {
    return pool.withTransaction(tx -> launches.lockLaunching(tx, tenantId, id, wait).flatMap(locked -> {
      if (!locked) {
        return Uni.createFrom().nullItem();
      }
      OffsetDateTime now = now();
      return campaigns.find(tx, tenantId, id, false).flatMap(found -> segments.all(tx, tenantId)
          .flatMap(rows -> freezeAndQueue(tx, tenantId, found.orElseThrow(() -> notFound(id)),
              SegmentCatalog.of(rows), now)));
    }));
  }

  /** A background launch failed (its transaction rolled back): logged, and the campaign is a draft again. */
  private Uni<Void> failed(String tenantId, long id, Throwable failure) {
    Log.errorf(failure, "campaign %s/%d: the launch failed, the campaign is a draft again", tenantId, id);
    return pool.withTransaction(tx -> launches.backToDraft(tx, tenantId, id, now()))
        .onFailure().invoke(again -> Log.warnf(again, "campaign %s/%d: still launching, resumed later", tenantId, id))
        .onFailure().recoverWithNull();
  }

  /** The segment's rule as of {@code now}; 409 when the segment was deleted. */
  private static RuleCondition rule(SegmentCatalog catalog, CampaignView c, OffsetDateTime now) {
    SegmentRow segment = catalog.get(c.segmentId());
    if (segment == null) {
      throw ProblemException.conflict("segment " + c.segmentId() + " of campaign " + c.id() + " no longer exists");
    }
    return catalog.condition(segment.rule(), c.segmentId(), now);
  }

  /**
   * Freezes the audience, issues the coupons, queues the messages (one statement), marks it launched.
   * A run of a recurring campaign locks its parent (runs launch one at a time), spends what is left of
   * the parent's budget, keeps the parent's arms and, with {@code new_members_only}, skips the
   * customers of earlier runs.
   */
  private Uni<Launch> freezeAndQueue(SqlClient tx, String tenantId, CampaignView c, SegmentCatalog catalog,
      OffsetDateTime now) {
    if (c.parentId() == null) {
      return freezeAndQueue(tx, tenantId, c, catalog, now, c.id(), c.effectiveBudget(), null);
    }
    long parentId = c.parentId();
    return campaigns.find(tx, tenantId, parentId, true).flatMap(found -> {
      CampaignView parent = found.orElseThrow(() -> notFound(parentId));
      Long earlier = Boolean.TRUE.equals(parent.schedule().newMembersOnly()) ? parentId : null;
      BigDecimal budget = parent.effectiveBudget();
      return budget == null ? freezeAndQueue(tx, tenantId, c, catalog, now, parentId, null, earlier)
          : campaigns.committedByRuns(tx, tenantId, parentId).flatMap(spent -> freezeAndQueue(tx, tenantId, c,
              catalog, now, parentId, budget.subtract(spent).max(BigDecimal.ZERO), earlier));
    });
  }

  private Uni<Launch> freezeAndQueue(SqlClient tx, String tenantId, CampaignView c, SegmentCatalog catalog,
      OffsetDateTime now, long armSeed, BigDecimal budget, Long earlierRunsOf) {
    RuleCondition rule = rule(catalog, c, now);
    Instant planned = c.schedule() != null && c.schedule().at() != null && c.schedule().at().isAfter(now)
        ? c.schedule().at().toInstant() : now.toInstant();
    Instant send = quietHours().sendTime(planned);
    OffsetDateTime sendAt = send.atOffset(ZoneOffset.UTC);
    boolean coupon = c.offer() != null && "coupon".equals(c.offer().type());
    BigDecimal face = !coupon ? null : c.offer().amount() != null ? c.offer().amount() : BigDecimal.ZERO;
    BigDecimal[] costs = Stream.of("sms", "email", "app")
        .map(channel -> c.costPerMessage().getOrDefault(channel, BigDecimal.ZERO)).toArray(BigDecimal[]::new);
    Plan plan = new Plan(c.id(), armSeed, c.controlPct(), c.variants().stream().map(Variant::name).toList(),
        ArmAssignment.upperBounds(c.controlPct(), c.variants().stream().map(Variant::weight).toList()),
        c.channels(), config.frequencyCap(), now.minus(config.frequencyWindow()), !send.equals(planned), templates(c),
        face, coupon ? c.offer().minSpend() : null, sendAt, costs, budget, earlierRunsOf,
        c.offer() != null && "new_product".equals(c.offer().type()));
    return launches.launch(tx, tenantId, plan, rule)
        .flatMap(result -> campaigns.markLaunched(tx, tenantId, c.id(), now, sendAt, result.committed())
            .map(ignored -> {
              Log.infof("campaign %s/%d launched: audience %d, %d messages queued for %s, %s reserved", tenantId,
                  c.id(), result.audience(), result.messages(), sendAt, result.committed());
              return new Launch(c.id(), "launched", result.audience(), result.suppressed(), result.messages(),
                  result.coupons(), sendAt, result.committed());
            }));
  }

  /** A recurring campaign's launch: checked, then {@code scheduled} with its first run at {@code at} or now. */
  private Uni<Launch> schedule(SqlClient tx, String tenantId, CampaignView c, OffsetDateTime now) {
    return segments.all(tx, tenantId).flatMap(rows -> {
      rule(SegmentCatalog.of(rows), c, now);
      Schedule s = c.schedule();
      OffsetDateTime first = s.at() != null && s.at().isAfter(now) ? s.at().withOffsetSameInstant(ZoneOffset.UTC) : now;
      if (s.until() != null && !s.until().isAfter(first)) {
        throw ProblemException.conflict("campaign " + c.id() + ": until " + s.until() + " leaves no run");
      }
      return campaigns.markScheduled(tx, tenantId, c.id(), now, first)
          .replaceWith(Launch.pending(c.id(), "scheduled", first));
    });
  }

  /**
   * Starts the due runs of recurring campaigns (every {@code crm.campaign.recurring.every}, 30 s;
   * {@code off} disables). Each run is recorded with the parent's next run in one transaction holding
   * the parent (a run is never started twice, by any number of replicas), then launched in the
   * background like a large campaign; a process stopping meanwhile leaves it {@code launching}, and
   * the launch resumer finishes it. Runs missed while the service was down are not made up: one run,
   * then the next on the calendar after now.
   */
  @Scheduled(identity = "campaign-recurring", every = "${crm.campaign.recurring.every:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduledRuns() {
    return runDue().onFailure().invoke(failure -> Log.warnf(failure, "recurring campaigns: retried next time"))
        .onFailure().recoverWithNull().replaceWithVoid();
  }

  /** Starts every due run now; how many started. */
  public Uni<Integer> runDue() {
    OffsetDateTime now = now();
    return campaigns.due(pool, now, 100).flatMap(list -> Multi.createFrom().iterable(list)
        .onItem().transformToUniAndConcatenate(row -> startRun((String) row[0], (Long) row[1], now)
            .map(Objects::nonNull)
            .onFailure().recoverWithItem(failure -> {
              Log.errorf(failure, "campaign %s/%d: the run could not start, retried", row[0], row[1]);
              return false;
            }))
        .collect().asList()
        .map(started -> (int) started.stream().filter(Boolean::booleanValue).count()));
  }

  /** The next run of a due recurring campaign, or its end; the run's id, or null when none started. */
  private Uni<Long> startRun(String tenantId, long id, OffsetDateTime now) {
    return pool.withTransaction(tx -> campaigns.lockDue(tx, tenantId, id, now).flatMap(found -> {
      if (found.isEmpty()) {
        return Uni.createFrom().<Long>nullItem();
      }
      CampaignView c = found.get();
      Schedule s = c.schedule();
      OffsetDateTime due = c.nextRunAt();
      if (s.until() != null && due.isAfter(s.until())) {
        return campaigns.advance(tx, tenantId, id, c.runs(), null, "until", now).replaceWith((Long) null);
      }
      Uni<Boolean> budgetLeft = c.effectiveBudget() == null ? Uni.createFrom().item(true)
          : campaigns.committedByRuns(tx, tenantId, id).map(spent -> spent.compareTo(c.effectiveBudget()) < 0);
      return budgetLeft.flatMap(left -> {
        if (!left) {
          return campaigns.advance(tx, tenantId, id, c.runs(), null, "budget", now).replaceWith((Long) null);
        }
        int run = c.runs() + 1;
        OffsetDateTime next = RunCalendar.parse(s.every()).nextAfter(due, now, config.shopZone());
        String ended = s.maxRuns() != null && run >= s.maxRuns() ? "max_runs"
            : s.until() != null && next.isAfter(s.until()) ? "until" : null;
        return campaigns.insertRun(tx, tenantId, id, run, now).call(runId -> campaigns.advance(tx, tenantId, id,
            run, ended == null ? next : null, ended, now));
      });
    })).invoke(runId -> {
      if (runId != null) {
        Log.infof("campaign %s/%d: a run started as campaign %d", tenantId, id, runId);
        launchInBackground(tenantId, runId);
      }
    });
  }

  /** Stops a scheduled recurring campaign (no more runs; those started go on); 409 otherwise. */
  public Uni<CampaignView> stop(TenantContext tenant, long id) {
    String tenantId = tenant.tenantId();
    return pool.withTransaction(tx -> campaigns.find(tx, tenantId, id, true).flatMap(found -> {
      CampaignView c = found.orElseThrow(() -> notFound(id));
      return campaigns.stop(tx, tenantId, id, now()).flatMap(stopped -> {
        if (!stopped) {
          throw ProblemException.conflict("campaign " + id + " is " + c.status() + "; only a scheduled recurring"
              + " campaign can be stopped");
        }
        return campaigns.find(tx, tenantId, id, false).map(Optional::orElseThrow);
      });
    }));
  }

  /** The runs of a recurring campaign (404 for an unknown campaign). */
  public Uni<Page<CampaignView>> runs(TenantContext tenant, long id, PageRequest page) {
    return get(tenant, id).flatMap(c -> campaigns.runs(pool, tenant.tenantId(), id, page))
        .map(rows -> Page.of(rows, page, CampaignView::id));
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
