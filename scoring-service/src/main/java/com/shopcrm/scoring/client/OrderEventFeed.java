package com.shopcrm.scoring.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Pages of a tenant's order events from order-service, with a token scoring-service signs for the
 * tenant. Owns the fault tolerance of the call; a page that cannot be had fails the resync job
 * (it resumes from its last applied page when started again with that after_seq).
 */
@ApplicationScoped
public class OrderEventFeed {

  private final OrderServiceClient client;
  private final ServiceTokens tokens;

  OrderEventFeed(@RestClient OrderServiceClient client, ServiceTokens tokens) {
    this.client = client;
    this.tokens = tokens;
  }

  /** Whether a token can be had at all (a private key is configured). */
  public boolean available() {
    return tokens.available();
  }

  /** {@code {items: [...], next_after_seq}} after {@code afterSeq}. */
  @Timeout(value = 15, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 3, delay = 500, jitter = 200)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30, delayUnit = ChronoUnit.SECONDS)
  public Uni<JsonNode> page(String tenantId, long afterSeq, int limit) {
    String authorization = tokens.authorizationFor(tenantId).orElseThrow(() -> new ProblemException(Problem.of(503,
        "Service token unavailable", "no internal private key configured (CRM_JWT_PRIVATE_KEY_LOCATION)")));
    return client.events(authorization, afterSeq, limit);
  }
}
