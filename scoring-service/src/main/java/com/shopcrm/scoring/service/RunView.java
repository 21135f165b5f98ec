package com.shopcrm.scoring.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A scoring run as {@code GET /api/v1/scoring/runs/{id}} answers it (ARCHITECTURE §4): status,
 * counts, the fitted models (null until fitted, or when the data could not identify them; see
 * {@code notes}) and, with a calibration end, the holdout report.
 */
public record RunView(
    long id,
    String status,
    LocalDate asOf,
    LocalDate calibrationEnd,
    String timeUnit,
    double clvHorizonDays,
    double annualDiscountRate,
    int customersScored,
    int customersFitted,
    int repeatBuyers,
    Models models,
    HoldoutReport holdout,
    List<String> notes,
    String error,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    CampaignPush campaignPush) {

  /**
   * The push of this run's scores to campaign-service (null: pushing is not configured, or a newer
   * run's push replaced it): {@code status} pending (run not completed yet), pushing, retrying
   * (the last call failed; {@code last_error}), done; {@code pushed} scores delivered so far.
   */
  public record CampaignPush(String status, int pushed, int attempts, String lastError, OffsetDateTime finishedAt) {
  }

  /** {@code {bgnbd, gamma_gamma}}; each null when not fitted. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Models(BgNbdParams bgnbd, GammaGammaParams gammaGamma) {
  }

  /** BG/NBD parameters (in the run's time unit) and fit facts. */
  public record BgNbdParams(double r, double alpha, double a, double b, double logLikelihood, long customers,
      int distinctRows, boolean onBoundary) {
  }

  /** Gamma-Gamma parameters (in the shop's currency) and fit facts. */
  public record GammaGammaParams(double p, double q, double gamma, double logLikelihood, int customers,
      boolean onBoundary) {
  }
}
