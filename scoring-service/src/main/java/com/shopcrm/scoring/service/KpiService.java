package com.shopcrm.scoring.service;

import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.scoring.repository.KpiRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.List;

/** Tenant KPIs: RFM and CLV distributions from the scores, retention and cohorts from the purchase facts. */
@ApplicationScoped
public class KpiService {

  private final Pool pool;
  private final KpiRepository kpis;

  KpiService(Pool pool, KpiRepository kpis) {
    this.pool = pool;
    this.kpis = kpis;
  }

  public Uni<KpiRepository.RfmDistribution> rfm(TenantContext tenant) {
    return kpis.rfm(pool, tenant.tenantId());
  }

  public Uni<KpiRepository.ClvDistribution> clv(TenantContext tenant, int buckets) {
    if (buckets < 1 || buckets > 100) {
      throw ProblemException.invalid("buckets", "must be between 1 and 100");
    }
    return kpis.clv(pool, tenant.tenantId(), buckets);
  }

  public Uni<KpiRepository.Retention> retention(TenantContext tenant, LocalDate from, LocalDate to) {
    if (from.isAfter(to)) {
      throw ProblemException.invalid("from", "must not be after to");
    }
    if (to.toEpochDay() - from.toEpochDay() > 3660) {
      throw ProblemException.invalid("to", "the period may span at most 10 years");
    }
    return kpis.retention(pool, tenant.tenantId(), from, to);
  }

  public Uni<List<KpiRepository.Cohort>> cohorts(TenantContext tenant, int months) {
    if (months < 1 || months > 60) {
      throw ProblemException.invalid("months", "must be between 1 and 60");
    }
    return kpis.cohorts(pool, tenant.tenantId(), months);
  }
}
