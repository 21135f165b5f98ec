package com.shopcrm.campaign.service;

import com.shopcrm.campaign.config.CampaignConfig;
import com.shopcrm.campaign.model.CampaignInput.Message;
import com.shopcrm.campaign.model.TriggerResults.Evaluation;
import com.shopcrm.campaign.model.TriggerView;
import com.shopcrm.campaign.repository.RuleCondition;
import com.shopcrm.campaign.repository.SegmentRepository;
import com.shopcrm.campaign.repository.SegmentRepository.SegmentRow;
import com.shopcrm.campaign.repository.TriggerFiringRepository;
import com.shopcrm.campaign.repository.TriggerFiringRepository.Fire;
import com.shopcrm.campaign.repository.TriggerFiringRepository.Occasions;
import com.shopcrm.campaign.repository.TriggerRepository;
import com.shopcrm.campaign.repository.TriggerRepository.TenantTrigger;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Evaluates the enabled triggers (docs/CAMPAIGNS.md, "Triggers"): on a schedule
 * ({@code crm.campaign.triggers.every}, 30 s) for every customer, and right after the data a kind
 * depends on arrives (profile sync, behaviour events, order events) for the touched customers only.
 * Each trigger is one transaction of set-based statements ({@link TriggerFiringRepository}); an
 * occasion fires at most once however often (or concurrently) it is evaluated. Consent, the
 * frequency cap and quiet hours apply exactly as at a campaign launch.
 */
@ApplicationScoped
public class TriggerEvaluator {

  /** Kinds that depend on profile fields (birthday, lifecycle/p_alive, expected next order). */
  public static final List<String> PROFILE_KINDS = List.of("birthday", "win_back", "repurchase", "entered_segment");
  public static final List<String> EVENT_KINDS = List.of("cart_abandon", "entered_segment");
  public static final List<String> ORDER_KINDS = List.of("review_request", "cart_abandon");

  private final Pool pool;
  private final TriggerRepository triggers;
  private final TriggerFiringRepository firings;
  private final SegmentRepository segments;
  private final CampaignConfig config;
  private final Clock clock;

  TriggerEvaluator(Pool pool, TriggerRepository triggers, TriggerFiringRepository firings,
      SegmentRepository segments, CampaignConfig config, Clock clock) {
    this.pool = pool;
    this.triggers = triggers;
    this.firings = firings;
    this.segments = segments;
    this.config = config;
    this.clock = clock;
  }

  @Scheduled(identity = "trigger-evaluate", every = "${crm.campaign.triggers.every:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return evaluateAll().onFailure().recoverWithItem(failure -> {
      Log.warnf(failure, "trigger evaluation failed, the next run retries");
      return null;
    }).replaceWithVoid();
  }

  /** Every enabled trigger of every shop, for every customer. */
  public Uni<Evaluation> evaluateAll() {
    return evaluate(null, null, null);
  }

  /**
   * The shop's enabled triggers of the given kinds for these customers only (after a sync or an
   * order event). Never fails: a failure is logged and the scheduled run catches up.
   */
  public Uni<Evaluation> evaluateFor(String tenantId, Long[] customers, List<String> kinds) {
    if (customers.length == 0) {
      return Uni.createFrom().item(new Evaluation(-1, 0, 0, 0));
    }
    return evaluate(tenantId, customers, kinds).onFailure().recoverWithItem(failure -> {
      Log.warnf(failure, "trigger evaluation for %d customer(s) of %s failed; the scheduled run catches up",
          customers.length, tenantId);
      return new Evaluation(-1, 0, 0, 0);
    });
  }

  private Uni<Evaluation> evaluate(String tenantId, Long[] customers, List<String> kinds) {
    return triggers.enabled(pool, tenantId, kinds).flatMap(list -> Multi.createFrom().iterable(list)
        .onItem().transformToUniAndConcatenate(t -> pool.withTransaction(tx -> evaluateOne(tx, t, customers))
            .invoke(e -> {
              if (e.fired() > 0) {
                Log.infof("trigger %s/%d (%s) fired %d occasion(s): %d suppressed, %d message(s) queued",
                    t.tenantId(), t.trigger().id(), t.trigger().kind(), e.fired(), e.suppressed(), e.messages());
              }
            }))
        .collect().with(Collectors.reducing(new Evaluation(-1, 0, 0, 0), Evaluation::plus)));
  }

  /** One trigger in one transaction: its condition, then (win-back) its state, then the firing statement. */
  Uni<Evaluation> evaluateOne(SqlClient tx, TenantTrigger tt, Long[] customers) {
    TriggerView t = tt.trigger();
    String tenantId = tt.tenantId();
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    return condition(tx, tenantId, t, now).flatMap(condition -> {
      if (condition == null) {
        return Uni.createFrom().item(new Evaluation(t.id(), 0, 0, 0));
      }
      Instant send = new QuietHours(config.quietFrom(), config.quietUntil(), config.shopZone())
          .sendTime(now.toInstant());
      boolean coupon = t.offer() != null && "coupon".equals(t.offer().type());
      Fire fire = new Fire(tenantId, t.id(), now, t.channels(), config.frequencyCap(),
          now.minus(config.frequencyWindow()), send.atOffset(ZoneOffset.UTC), !send.equals(now.toInstant()),
          templates(t), coupon, coupon && t.offer().amount() != null ? t.offer().amount() : BigDecimal.ZERO,
          coupon ? t.offer().minSpend() : null, customers);
      OffsetDateTime since = t.activeSince().withOffsetSameInstant(ZoneOffset.UTC);
      int waitDays = t.waitDays() == null ? 0 : t.waitDays();
      Duration wait = Duration.ofDays(waitDays);
      return switch (t.kind()) {
        case "birthday" -> firings.fire(tx, fire, Occasions.birthday(now.atZoneSameInstant(config.shopZone())
            .toLocalDate(), t.daysBefore(), since.atZoneSameInstant(config.shopZone()).toLocalDate()), condition);
        case "cart_abandon" -> {
          Duration hours = Duration.ofHours(t.waitHours());
          yield firings.fire(tx, fire, Occasions.cartAbandon(since.minus(hours), now.minus(hours), t.waitHours()),
              condition);
        }
        case "win_back" -> firings.refreshWinBackState(tx, tenantId, t.id(), customers, t.lifecycleStage(),
                t.pAliveBelow(), now)
            .flatMap(ignored -> firings.fire(tx, fire, Occasions.winBack(since.minus(wait), now.minus(wait)),
                condition));
        case "review_request" -> firings.fire(tx, fire, Occasions.reviewRequest(since.minus(wait), now.minus(wait)),
            condition);
        case "repurchase" -> firings.fire(tx, fire,
            Occasions.repurchase(since.minus(wait), now.minus(wait), config.shopZone()), condition);
        case "entered_segment" -> firings.fire(tx, fire,
            Occasions.enteredSegment(since.minus(wait), now.minus(wait), t.segmentId()), condition);
        default -> throw new IllegalStateException("unknown trigger kind " + t.kind());
      };
    });
  }

  /** The segment condition ({@code true} without one); {@code null} when its segment no longer exists. */
  private Uni<RuleCondition> condition(SqlClient tx, String tenantId, TriggerView t, OffsetDateTime now) {
    if (t.segmentId() == null) {
      return Uni.createFrom().item(args -> "true");
    }
    return segments.all(tx, tenantId).map(rows -> {
      SegmentCatalog catalog = SegmentCatalog.of(rows);
      SegmentRow segment = catalog.get(t.segmentId());
      if (segment == null) {
        Log.warnf("trigger %s/%d: segment %d no longer exists, nothing fires", tenantId, t.id(), t.segmentId());
        return null;
      }
      return catalog.condition(segment.rule(), t.segmentId(), now);
    });
  }

  /** (channel, subject, body) for every chosen channel. */
  static List<String[]> templates(TriggerView t) {
    Message m = t.message();
    List<String[]> rows = new ArrayList<>();
    for (String channel : t.channels()) {
      switch (channel) {
        case "sms" -> rows.add(new String[] {channel, null, m.sms()});
        case "email" -> rows.add(new String[] {channel, m.emailSubject(), m.emailBody()});
        default -> rows.add(new String[] {channel, null, m.app()});
      }
    }
    return rows;
  }
}
