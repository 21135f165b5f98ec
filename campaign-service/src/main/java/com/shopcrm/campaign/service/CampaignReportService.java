package com.shopcrm.campaign.service;

import com.shopcrm.campaign.config.CampaignConfig;
import com.shopcrm.campaign.model.CampaignInput.Variant;
import com.shopcrm.campaign.model.CampaignResults.Arm;
import com.shopcrm.campaign.model.CampaignResults.Control;
import com.shopcrm.campaign.model.CampaignResults.Coupons;
import com.shopcrm.campaign.model.CampaignResults.Interval;
import com.shopcrm.campaign.model.CampaignResults.Report;
import com.shopcrm.campaign.model.CampaignResults.SinkMessage;
import com.shopcrm.campaign.model.CampaignView;
import com.shopcrm.campaign.repository.CampaignRepository;
import com.shopcrm.campaign.repository.LaunchRepository;
import com.shopcrm.campaign.repository.OutboxRepository;
import com.shopcrm.campaign.repository.ReportRepository;
import com.shopcrm.campaign.repository.ReportRepository.ArmTotals;
import com.shopcrm.campaign.repository.ReportRepository.CouponTotals;
import com.shopcrm.campaign.repository.ReportRepository.Sends;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report: per arm and control recipients, sends, conversions and revenue; the best arm's
 * uplift over the control with the two-proportion z-test and 95% interval; cost (messages sent ×
 * cost per message of their channel + face value of redeemed coupons) and ROI =
 * (arms' revenue − cost) / cost. A winner is named only when significant (p &lt; 0.05) with at least
 * {@code crm.campaign.min-arm-recipients} in the best arm and the control.
 */
@ApplicationScoped
public class CampaignReportService {

  private final Pool pool;
  private final CampaignRepository campaigns;
  private final LaunchRepository launches;
  private final ReportRepository reports;
  private final OutboxRepository outbox;
  private final CampaignConfig config;

  CampaignReportService(Pool pool, CampaignRepository campaigns, LaunchRepository launches, ReportRepository reports,
      OutboxRepository outbox, CampaignConfig config) {
    this.pool = pool;
    this.campaigns = campaigns;
    this.launches = launches;
    this.reports = reports;
    this.outbox = outbox;
    this.config = config;
  }

  public Uni<Report> report(TenantContext tenant, long id) {
    String tenantId = tenant.tenantId();
    return campaigns.find(pool, tenantId, id, false).flatMap(found -> {
      CampaignView c = found.orElseThrow(() -> CampaignService.notFound(id));
      boolean recurring = c.schedule() != null && c.schedule().recurring();
      Uni<List<Long>> ids = recurring ? campaigns.runIds(pool, tenantId, id) : Uni.createFrom().item(List.of(id));
      return ids.flatMap(list -> {
        Long[] runs = list.toArray(Long[]::new);
        Uni<BigDecimal> committed = recurring ? campaigns.committedByRuns(pool, tenantId, id)
            : Uni.createFrom().item(c.committedCost());
        return Uni.combine().all().unis(launches.audience(pool, tenantId, runs), reports.arms(pool, tenantId, runs),
                reports.sends(pool, tenantId, runs), reports.coupons(pool, tenantId, runs), committed)
            .with((audience, arms, sends, coupons, spent) -> build(c, audience, arms, sends, coupons, spent,
                recurring ? runs.length : 1));
      });
    });
  }

  public Uni<Page<SinkMessage>> messages(TenantContext tenant, long id, String channel, PageRequest page) {
    return campaigns.find(pool, tenant.tenantId(), id, false).flatMap(found -> {
      found.orElseThrow(() -> CampaignService.notFound(id));
      return outbox.sinkPage(pool, tenant.tenantId(), id, channel, page)
          .map(rows -> Page.of(rows, page, SinkMessage::messageId));
    });
  }

  private Report build(CampaignView c, long[] audience, Map<String, ArmTotals> totals, Map<String, Sends> sends,
      CouponTotals coupons, BigDecimal committed, int runs) {
    List<Arm> arms = new ArrayList<>();
    BigDecimal cost = coupons.redeemedValue();
    BigDecimal revenue = BigDecimal.ZERO;
    Arm best = null;
    for (Variant v : c.variants()) {
      ArmTotals t = totals.getOrDefault(v.name(), new ArmTotals(0, 0, BigDecimal.ZERO));
      long sent = 0;
      long failed = 0;
      long queued = 0;
      for (String channel : c.channels()) {
        Sends s = sends.getOrDefault(v.name() + "/" + channel, new Sends(0, 0, 0));
        sent += s.sent();
        failed += s.failed();
        queued += s.queued();
        cost = cost.add(c.costPerMessage().getOrDefault(channel, BigDecimal.ZERO).multiply(BigDecimal.valueOf(s.sent())));
      }
      Arm arm = new Arm(v.name(), t.recipients(), sent, failed, queued, t.conversions(), money(t.revenue()),
          rate(t.conversions(), t.recipients()), t.recipients() == 0 ? BigDecimal.ZERO
              : t.revenue().divide(BigDecimal.valueOf(t.recipients()), 2, RoundingMode.HALF_UP));
      arms.add(arm);
      revenue = revenue.add(t.revenue());
      if (arm.recipients() > 0 && (best == null || arm.conversionRate() > best.conversionRate())) {
        best = arm;
      }
    }
    ArmTotals ct = totals.getOrDefault(CampaignRules.CONTROL, new ArmTotals(0, 0, BigDecimal.ZERO));
    Control control = new Control(ct.recipients(), ct.conversions(), money(ct.revenue()),
        rate(ct.conversions(), ct.recipients()));
    CampaignStats.Uplift uplift = best == null ? null
        : CampaignStats.uplift(best.conversions(), best.recipients(), ct.conversions(), ct.recipients());
    String winner = uplift != null && uplift.pValue() < 0.05 && uplift.uplift() > 0
        && best.recipients() >= config.minArmRecipients() && ct.recipients() >= config.minArmRecipients()
        ? best.name() : null;
    Double roi = cost.signum() == 0 ? null
        : revenue.subtract(cost).divide(cost, 4, RoundingMode.HALF_UP).doubleValue();
    return new Report(c.id(), c.status(), audience[0], LaunchRepository.suppressed(audience), arms, control,
        uplift == null ? null : uplift.uplift(), uplift == null ? null : uplift.pValue(),
        uplift == null ? null : new Interval(uplift.low(), uplift.high()), best == null ? null : best.name(), winner,
        new Coupons(coupons.issued(), coupons.redeemed(), money(coupons.redeemedValue())), money(revenue), money(cost),
        roi, c.effectiveBudget(), money(committed), runs);
  }

  private static double rate(long conversions, long recipients) {
    return recipients == 0 ? 0 : (double) conversions / recipients;
  }

  private static BigDecimal money(BigDecimal value) {
    return value.setScale(2, RoundingMode.HALF_UP);
  }
}
