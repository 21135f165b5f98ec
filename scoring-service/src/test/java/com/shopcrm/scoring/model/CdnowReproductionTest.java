package com.shopcrm.scoring.model;

import static com.shopcrm.scoring.model.BgNbdModelTest.assertWithin;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * From the raw CDNOW transactions through {@link SummaryBuilder} to the published parameters: proof
 * that our definitions (distinct purchase days, repeat-day values, calibration 1997-01-01 to
 * 1997-09-30, weeks) are the literature's.
 */
class CdnowReproductionTest {

  private static final Logger LOG = Logger.getLogger(CdnowReproductionTest.class);

  @Test
  void summariesBuiltFromTransactionsGivePublishedFits() throws Exception {
    Optional<Path> raw = CdnowData.file("CDNOW_sample.txt");
    assumeTrue(raw.isPresent(), "CDNOW data set not available");
    SummaryBuilder builder = new SummaryBuilder(LocalDate.of(1997, 9, 30), ModelTimeUnit.WEEKS);
    List<CustomerSummary> customers = new ArrayList<>();
    for (List<Purchase> purchases : CdnowData.purchases(raw.get()).values()) {
      builder.summarize(purchases).ifPresent(customers::add);
    }
    BgNbdModel.Fit bgnbd = BgNbdModel.fit(customers);
    GammaGammaModel.Fit gg = GammaGammaModel.fit(customers);
    LOG.infof("From CDNOW_sample.txt: %d customers; BG/NBD %s LL=%.4f; Gamma-Gamma %s", customers.size(),
        bgnbd.model(), bgnbd.logLikelihood(), gg.model());
    assertWithin(2357, customers.size(), 0, "customers");
    assertWithin(0.2426, bgnbd.model().r(), 1e-3, "r");
    assertWithin(4.4136, bgnbd.model().alpha(), 1e-3, "alpha");
    assertWithin(0.7929, bgnbd.model().a(), 1e-3, "a");
    assertWithin(2.4259, bgnbd.model().b(), 1e-3, "b");
    assertWithin(-9582.43, bgnbd.logLikelihood(), 1e-3, "log-likelihood");
    assertWithin(946, gg.customers(), 0, "repeat buyers");
    assertWithin(6.25, gg.model().p(), 5e-3, "p");
    assertWithin(3.74, gg.model().q(), 5e-3, "q");
    assertWithin(15.44, gg.model().gamma(), 5e-3, "gamma");
    // the paper's worked example, now with our own fit
    assertWithin(1.226, bgnbd.model().expectedPurchases(39, CustomerSummary.of(2, 30.43, 38.86)), 5e-4, "E[Y(39)]");
  }
}
