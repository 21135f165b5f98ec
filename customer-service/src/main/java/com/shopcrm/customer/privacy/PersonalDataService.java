package com.shopcrm.customer.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.customer.privacy.PeerServices.Answer;
import com.shopcrm.customer.privacy.PersonalDataRepository.Erasure;
import com.shopcrm.customer.privacy.PersonalDataRepository.Subject;
import com.shopcrm.customer.repository.CustomerRepository;
import com.shopcrm.customer.repository.CustomerRepository.Absent;
import com.shopcrm.customer.repository.CustomerRepository.Merged;
import com.shopcrm.customer.service.CustomerMergedException;
import com.shopcrm.customer.service.CustomerService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Personal-data rights across the services (docs/PRIVACY.md): export everything every service holds on
 * a customer as one document, and erase it everywhere. The erasure is recorded in the same transaction
 * as customer-service's own, and {@link ErasureRelay} reaches the other services until each has
 * acknowledged, so it completes even when one is down during the request.
 */
@ApplicationScoped
public class PersonalDataService {

  /** An erase answer: the erasure, and whether this request created it (false: a repeat). */
  public record Requested(ErasureView erasure, boolean created) {
  }

  private final Pool pool;
  private final PersonalDataRepository privacy;
  private final CustomerRepository customers;
  private final CustomerService customerService;
  private final PeerServices peers;
  private final ErasureRelay relay;
  private final ObjectMapper mapper;
  private final Clock clock;

  PersonalDataService(Pool pool, PersonalDataRepository privacy, CustomerRepository customers,
      CustomerService customerService, PeerServices peers, ErasureRelay relay, ObjectMapper mapper, Clock clock) {
    this.pool = pool;
    this.privacy = privacy;
    this.customers = customers;
    this.customerService = customerService;
    this.peers = peers;
    this.relay = relay;
    this.mapper = mapper;
    this.clock = clock;
  }

  /**
   * customer-service's own data and each other service's answer, under {@code customer_service},
   * {@code order_service}, {@code scoring_service}, {@code campaign_service}. 404/410 as for the profile;
   * 503 when a service cannot answer (an export is complete or not given).
   */
  public Uni<JsonNode> export(TenantContext tenant, long id) {
    String tenantId = tenant.tenantId();
    return customerService.get(tenant, id)
        .flatMap(live -> privacy.subject(pool, tenantId, id))
        .flatMap(subject -> privacy.export(pool, tenantId, id, subject.ids()).flatMap(local -> {
          String request = request(subject);
          List<String> services = new ArrayList<>(peers.services());
          List<Uni<Answer>> calls = services.stream().map(s -> peers.export(s, tenantId, request)).toList();
          return Uni.join().all(calls).andFailFast().map(answers -> {
            ObjectNode out = mapper.createObjectNode();
            out.put("customer_id", id);
            out.put("exported_at", now().toString());
            out.set("customer_service", tree(local));
            for (int i = 0; i < services.size(); i++) {
              Answer answer = answers.get(i);
              if (!answer.ok()) {
                Log.warnf("export of customer %d (tenant %s): %s failed: %s", id, tenantId, services.get(i),
                    answer.failure());
                throw new ProblemException(Problem.of(503, "Service unavailable", services.get(i)
                    + " could not be reached, so the export would be incomplete; try again shortly"));
              }
              out.set(services.get(i).replace('-', '_'), tree(answer.body()));
            }
            return (JsonNode) out;
          });
        }));
  }

  /**
   * Erases the customer here and records the request (one transaction), then lets the relay reach the
   * other services. A repeat (also one racing the first) answers the recorded erasure and changes
   * nothing; an id merged into another answers 410 naming the survivor; unknown here: 404.
   */
  public Uni<Requested> erase(TenantContext tenant, long id) {
    String tenantId = tenant.tenantId();
    OffsetDateTime now = now();
    return pool.withTransaction(tx -> customers.lockState(tx, tenantId, id, true).flatMap(state -> {
      if (state instanceof Absent) {
        // erased already (perhaps by a request that just committed), or never here
        return privacy.find(tx, tenantId, id).map(existing -> {
          if (existing == null) {
            throw ProblemException.notFound("customer", id);
          }
          return new Requested(view(existing), false);
        });
      }
      if (state instanceof Merged merged) {
        throw new CustomerMergedException(id, merged.into());
      }
      return privacy.subject(tx, tenantId, id)
          .flatMap((Subject subject) -> privacy.erase(tx, tenantId, subject.ids())
              .flatMap(outcome -> privacy.insert(tx, tenantId, id, subject, requester(tenant), outcome, now)))
          .flatMap(ignored -> privacy.find(tx, tenantId, id))
          .map(created -> new Requested(view(created), true));
    }))
        .invoke(requested -> {
          if (requested.created()) {
            Log.infof("erasure of customer %d (tenant %s) requested by %s; customer-service done", id, tenantId,
                requested.erasure().requestedBy());
            relay.soon();
          }
        });
  }

  /** The tenant's erasure of the customer (also found by the id of a profile merged into it); 404 when none. */
  public Uni<ErasureView> status(TenantContext tenant, long id) {
    return privacy.find(pool, tenant.tenantId(), id).map(found -> {
      if (found == null) {
        throw new ProblemException(Problem.of(404, "Not found", "no erasure of customer " + id));
      }
      return view(found);
    });
  }

  /** The body of the internal calls: {@code {customer_ids, identities}}. */
  static String request(Long[] ids, String identitiesJson) {
    StringBuilder body = new StringBuilder("{\"customer_ids\": [");
    for (int i = 0; i < ids.length; i++) {
      body.append(i == 0 ? "" : ",").append(ids[i]);
    }
    return body.append("], \"identities\": ").append(identitiesJson == null ? "[]" : identitiesJson).append('}')
        .toString();
  }

  private static String request(Subject subject) {
    return request(subject.ids(), subject.identitiesJson());
  }

  private static String requester(TenantContext tenant) {
    return tenant.subject() == null ? "unknown" : tenant.subject();
  }

  private ErasureView view(Erasure e) {
    return new ErasureView(e.customerId(), Arrays.asList(e.customerIds()), e.status(), e.requestedBy(),
        e.requestedAt(), e.completedAt(), e.steps().stream().map(s -> new ErasureView.ServiceStep(s.service(),
            s.status(), s.attempts(), s.nextAttemptAt(), s.lastError(), s.outcome() == null ? null : tree(s.outcome()),
            s.completedAt())).toList());
  }

  private JsonNode tree(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      return mapper.getNodeFactory().textNode(json);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
