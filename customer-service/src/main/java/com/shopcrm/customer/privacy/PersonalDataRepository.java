package com.shopcrm.customer.privacy;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * customer-service's side of personal-data requests (docs/PRIVACY.md): whose data a request is about,
 * everything held here on it as one JSON document, its erasure, and the erasure records with their
 * per-service steps (V5__personal_data_erasure.sql). Plain SQL, every statement scoped to the tenant.
 */
@ApplicationScoped
public class PersonalDataRepository {

  /** The services an erasure has to reach, customer-service first (it erases in the request's transaction). */
  public static final List<String> SERVICES =
      List.of("customer-service", "order-service", "scoring-service", "campaign-service");

  /** The customer and the profiles merged into it: ids, and (platform, external_id) identities as JSON. */
  public record Subject(Long[] ids, String identitiesJson) {
  }

  public Uni<Subject> subject(SqlClient client, String tenantId, long id) {
    return client.preparedQuery("""
            WITH ids AS (SELECT c.id FROM customer c WHERE c.tenant_id = $1 AND (c.id = $2 OR c.merged_into = $2))
            SELECT (SELECT array_agg(id ORDER BY id) FROM ids) AS ids,
                   (SELECT coalesce(jsonb_agg(jsonb_build_object('platform', k.platform, 'external_id', k.external_id)
                                              ORDER BY k.platform, k.external_id), '[]')
                      FROM (SELECT i.platform, i.external_id FROM customer_identity i
                             WHERE i.tenant_id = $1 AND i.customer_id IN (SELECT id FROM ids)
                            UNION
                            SELECT c.platform, c.external_id FROM customer c
                             WHERE c.tenant_id = $1 AND c.id IN (SELECT id FROM ids) AND c.external_id IS NOT NULL) k
                   )::text AS identities""")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> {
          Row row = rows.iterator().next();
          Long[] ids = row.getArrayOfLongs("ids");
          return new Subject(ids == null ? new Long[0] : ids, row.getString("identities"));
        });
  }

  /**
   * Everything held here on the customer: the profile (and the profiles merged into it), identities,
   * tags, behaviour events, consent and its history, membership with the points ledger, spend and tier
   * changes, and service tickets with their whole timeline.
   */
  public Uni<String> export(SqlClient client, String tenantId, long id, Long[] ids) {
    return client.preparedQuery("""
            SELECT jsonb_build_object(
              'profile', (SELECT to_jsonb(c) - 'tenant_id' - 'phone_norm' - 'email_norm'
                            FROM customer c WHERE c.tenant_id = $1 AND c.id = $2),
              'merged_profiles', (SELECT coalesce(jsonb_agg(to_jsonb(c) - 'tenant_id' - 'phone_norm' - 'email_norm'
                                                            ORDER BY c.id), '[]')
                            FROM customer c WHERE c.tenant_id = $1 AND c.id = ANY($3::bigint[]) AND c.id <> $2),
              'identities', (SELECT coalesce(jsonb_agg(to_jsonb(i) - 'tenant_id' ORDER BY i.platform, i.external_id), '[]')
                            FROM customer_identity i WHERE i.tenant_id = $1 AND i.customer_id = ANY($3::bigint[])),
              'tags', (SELECT coalesce(jsonb_agg(to_jsonb(t) - 'tenant_id' ORDER BY t.tag), '[]')
                            FROM customer_tag t WHERE t.tenant_id = $1 AND t.customer_id = ANY($3::bigint[])),
              'events', (SELECT coalesce(jsonb_agg(to_jsonb(e) - 'tenant_id' ORDER BY e.occurred_at, e.id), '[]')
                            FROM customer_event e WHERE e.tenant_id = $1 AND e.customer_id = ANY($3::bigint[])),
              'consent', (SELECT coalesce(jsonb_agg(to_jsonb(k) - 'tenant_id' ORDER BY k.channel), '[]')
                            FROM customer_consent k WHERE k.tenant_id = $1 AND k.customer_id = ANY($3::bigint[])),
              'consent_history', (SELECT coalesce(jsonb_agg(to_jsonb(h) - 'tenant_id' ORDER BY h.id), '[]')
                            FROM consent_history h WHERE h.tenant_id = $1 AND h.customer_id = ANY($3::bigint[])),
              'membership', (SELECT to_jsonb(m) - 'tenant_id' FROM membership m
                              WHERE m.tenant_id = $1 AND m.customer_id = $2),
              'points_ledger', (SELECT coalesce(jsonb_agg(to_jsonb(l) - 'tenant_id' ORDER BY l.id), '[]')
                            FROM points_ledger l WHERE l.tenant_id = $1 AND l.customer_id = ANY($3::bigint[])),
              'membership_spend', (SELECT coalesce(jsonb_agg(to_jsonb(s) - 'tenant_id' ORDER BY s.occurred_at), '[]')
                            FROM membership_spend s WHERE s.tenant_id = $1 AND s.customer_id = ANY($3::bigint[])),
              'tier_changes', (SELECT coalesce(jsonb_agg(to_jsonb(x) - 'tenant_id' ORDER BY x.id), '[]')
                            FROM membership_tier_change x WHERE x.tenant_id = $1 AND x.customer_id = ANY($3::bigint[])),
              'tickets', (SELECT coalesce(jsonb_agg((to_jsonb(t) - 'tenant_id') || jsonb_build_object('timeline',
                                (SELECT coalesce(jsonb_agg(to_jsonb(l) - 'tenant_id' ORDER BY l.id), '[]')
                                   FROM ticket_timeline l WHERE l.tenant_id = $1 AND l.ticket_id = t.id))
                                ORDER BY t.id), '[]')
                            FROM ticket t WHERE t.tenant_id = $1 AND t.customer_id = ANY($3::bigint[]))
            )::text AS export""")
        .execute(Tuple.of(tenantId, id, ids))
        .map(rows -> rows.iterator().next().getString("export"));
  }

  /**
   * The stored Idempotency-Key answers that echo the customer ($1 tenant, $2 ids, $3 Location
   * patterns): by Location (the profile and its sub-resources, its tickets), or by an answer naming
   * one of its ids or tickets ({@code "customer_id":42}, events, points, ratings; {@code "ticket_id":7},
   * comments) or one of its platform ids (a batch upsert's results). Compact JSON, as Jackson writes it.
   */
  private static final String STORED_ANSWERS = """
      WITH tickets AS (SELECT t.id FROM ticket t WHERE t.tenant_id = $1 AND t.customer_id = ANY($2::bigint[])),
           patterns AS (
               SELECT '%"customer_id":' || id || p AS pattern FROM unnest($2::bigint[]) AS id, (VALUES (',%'), ('}%')) v(p)
               UNION ALL
               SELECT '%"ticket_id":' || id || p FROM tickets, (VALUES (',%'), ('}%')) v(p)
               UNION ALL
               SELECT '%"external_id":"' || replace(replace(replace(i.external_id, '\\', '\\\\'), '%', '\\%'), '_', '\\_')
                      || '"%'
                 FROM customer_identity i WHERE i.tenant_id = $1 AND i.customer_id = ANY($2::bigint[]))
      DELETE FROM idempotency_key k
       WHERE k.tenant_id = $1
         AND (k.location LIKE ANY($3::text[])
              OR k.location IN (SELECT '/api/v1/customers/tickets/' || id FROM tickets)
              OR k.response_body LIKE ANY (ARRAY(SELECT pattern FROM patterns)))""";

  /**
   * Erases the customer here, in the caller's transaction, and answers what went as a JSON object:
   * the profile rows (the customer and the profiles merged into it) are deleted, and with them (ON
   * DELETE CASCADE) identities, tags, events, consent and its history, membership, points ledger,
   * spend, tier changes, tickets and their timelines; also the tickets' outbox events, the membership
   * order events consumed for it, and the stored Idempotency-Key answers of its resources (which
   * echo the profile). Deleting the rows enqueues {@code {customer_id, deleted: true}} for
   * campaign-service's read model through the audience-feed trigger.
   */
  public Uni<String> erase(SqlClient tx, String tenantId, Long[] ids) {
    List<String> exact = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (Long id : ids) {
      exact.add("/api/v1/customers/" + id);
      prefixes.add("/api/v1/customers/" + id + "/%");
    }
    exact.addAll(prefixes);
    Tuple args = Tuple.of(tenantId, ids);
    return tx.preparedQuery("""
            SELECT jsonb_build_object(
              'profiles', cardinality($2::bigint[]),
              'identities', (SELECT count(*) FROM customer_identity WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[])),
              'tags', (SELECT count(*) FROM customer_tag WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[])),
              'events', (SELECT count(*) FROM customer_event WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[])),
              'consent_history', (SELECT count(*) FROM consent_history
                                   WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[])),
              'points_entries', (SELECT count(*) FROM points_ledger WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[])),
              'tickets', (SELECT count(*) FROM ticket WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[]))
            )::text AS outcome""")
        .execute(args)
        .flatMap(outcome -> tx.preparedQuery("""
                DELETE FROM ticket_event e USING ticket t
                 WHERE e.tenant_id = $1 AND t.tenant_id = $1 AND e.ticket_id = t.id AND t.customer_id = ANY($2::bigint[])""")
            .execute(args)
            .flatMap(ignored -> tx.preparedQuery("""
                    DELETE FROM membership_order_event WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[])""")
                .execute(args))
            .flatMap(ignored -> tx.preparedQuery(STORED_ANSWERS)
                .execute(Tuple.of(tenantId, ids, exact.toArray(String[]::new))))
            .flatMap(ignored -> tx.preparedQuery("DELETE FROM customer WHERE tenant_id = $1 AND id = ANY($2::bigint[])")
                .execute(args))
            .map(ignored -> outcome.iterator().next().getString("outcome")));
  }

  // ---------------------------------------------------------------- erasure records

  /** One service's part of an erasure. */
  public record Step(String service, String status, int attempts, OffsetDateTime nextAttemptAt, String lastError,
      String outcome, OffsetDateTime completedAt) {
  }

  /** An erasure and its steps (in {@link #SERVICES} order). */
  public record Erasure(long customerId, Long[] customerIds, String requestedBy, OffsetDateTime requestedAt,
      String status, OffsetDateTime completedAt, List<Step> steps) {
  }

  /** Records the request with customer-service's step completed and the others due now. */
  public Uni<Void> insert(SqlClient tx, String tenantId, long id, Subject subject, String requestedBy,
      String localOutcome, OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO customer_erasure (tenant_id, customer_id, customer_ids, identities, requested_by, requested_at,
                                          status)
            VALUES ($1, $2, $3, $4::text::jsonb, $5, $6, 'pending')""")
        .execute(Tuple.tuple(List.of(tenantId, id, subject.ids(), subject.identitiesJson(), requestedBy, now)))
        .flatMap(ignored -> tx.preparedQuery("""
                INSERT INTO customer_erasure_step (tenant_id, customer_id, service, status, attempts, next_attempt_at,
                                                   outcome, completed_at)
                SELECT $1, $2, s, CASE WHEN s = 'customer-service' THEN 'completed' ELSE 'pending' END,
                       CASE WHEN s = 'customer-service' THEN 1 ELSE 0 END,
                       CASE WHEN s = 'customer-service' THEN NULL ELSE $4::timestamptz END,
                       CASE WHEN s = 'customer-service' THEN $3::text::jsonb END,
                       CASE WHEN s = 'customer-service' THEN $4::timestamptz END
                  FROM unnest($5::text[]) AS s""")
            .execute(Tuple.of(tenantId, id, localOutcome, now, SERVICES.toArray(String[]::new))))
        .replaceWithVoid();
  }

  /**
   * The tenant's erasure of the customer, or null; an id of a profile that had been merged into the
   * erased one finds that erasure too.
   */
  public Uni<Erasure> find(SqlClient client, String tenantId, long id) {
    return client.preparedQuery("""
            SELECT customer_id, customer_ids, requested_by, requested_at, status, completed_at
              FROM customer_erasure WHERE tenant_id = $1 AND (customer_id = $2 OR $2 = ANY(customer_ids))
             ORDER BY customer_id = $2 DESC LIMIT 1""")
        .execute(Tuple.of(tenantId, id))
        .flatMap(rows -> {
          if (rows.size() == 0) {
            return Uni.createFrom().nullItem();
          }
          Row e = rows.iterator().next();
          return client.preparedQuery("""
                  SELECT service, status, attempts, next_attempt_at, last_error, outcome::text AS outcome, completed_at
                    FROM customer_erasure_step WHERE tenant_id = $1 AND customer_id = $2
                   ORDER BY array_position($3::text[], service)""")
              .execute(Tuple.of(tenantId, e.getLong("customer_id"), SERVICES.toArray(String[]::new)))
              .map(steps -> {
                List<Step> list = new ArrayList<>();
                for (Row s : steps) {
                  list.add(new Step(s.getString("service"), s.getString("status"), s.getInteger("attempts"),
                      s.getOffsetDateTime("next_attempt_at"), s.getString("last_error"), s.getString("outcome"),
                      s.getOffsetDateTime("completed_at")));
                }
                return new Erasure(e.getLong("customer_id"), e.getArrayOfLongs("customer_ids"),
                    e.getString("requested_by"), e.getOffsetDateTime("requested_at"), e.getString("status"),
                    e.getOffsetDateTime("completed_at"), list);
              });
        });
  }

  // ---------------------------------------------------------------- the relay's queries

  /** A step the relay is to send: whose, to which service, with the request's ids and identities. */
  public record Due(String tenantId, long customerId, String service, int attempts, Long[] customerIds,
      String identitiesJson) {
  }

  /**
   * Due steps, locked for the caller's transaction (another replica skips them). order-service's step
   * goes first: scoring- and campaign-service are called only once order-service has stripped the
   * customer from its order events, so no event still naming the customer reaches them afterwards.
   */
  public Uni<List<Due>> due(SqlClient tx, OffsetDateTime now, int limit) {
    return tx.preparedQuery("""
            SELECT s.tenant_id, s.customer_id, s.service, s.attempts, e.customer_ids, e.identities::text AS identities
              FROM customer_erasure_step s
              JOIN customer_erasure e ON e.tenant_id = s.tenant_id AND e.customer_id = s.customer_id
             WHERE s.status = 'pending' AND s.next_attempt_at <= $1
               AND (s.service = 'order-service' OR NOT EXISTS (
                    SELECT 1 FROM customer_erasure_step o
                     WHERE o.tenant_id = s.tenant_id AND o.customer_id = s.customer_id
                       AND o.service = 'order-service' AND o.status = 'pending'))
             ORDER BY s.next_attempt_at, s.tenant_id, s.customer_id, s.service
             LIMIT $2
               FOR UPDATE OF s SKIP LOCKED""")
        .execute(Tuple.of(now, limit))
        .map(rows -> {
          List<Due> due = new ArrayList<>();
          for (Row r : rows) {
            due.add(new Due(r.getString("tenant_id"), r.getLong("customer_id"), r.getString("service"),
                r.getInteger("attempts"), r.getArrayOfLongs("customer_ids"), r.getString("identities")));
          }
          return due;
        });
  }

  /** The service acknowledged: the step is completed; the erasure too once every step is (identities dropped). */
  public Uni<Void> completed(SqlClient tx, Due step, String outcome, OffsetDateTime now) {
    return tx.preparedQuery("""
            UPDATE customer_erasure_step SET status = 'completed', attempts = attempts + 1, next_attempt_at = NULL,
                   last_error = NULL, outcome = $4::text::jsonb, completed_at = $5
             WHERE tenant_id = $1 AND customer_id = $2 AND service = $3""")
        .execute(Tuple.of(step.tenantId(), step.customerId(), step.service(), outcome, now))
        .flatMap(ignored -> tx.preparedQuery("""
                UPDATE customer_erasure SET status = 'completed', completed_at = $3, identities = NULL
                 WHERE tenant_id = $1 AND customer_id = $2 AND status = 'pending'
                   AND NOT EXISTS (SELECT 1 FROM customer_erasure_step s
                                    WHERE s.tenant_id = $1 AND s.customer_id = $2 AND s.status = 'pending')""")
            .execute(Tuple.of(step.tenantId(), step.customerId(), now)))
        .replaceWithVoid();
  }

  /** The call failed: try again at {@code next}. */
  public Uni<Void> failed(SqlClient tx, Due step, String error, OffsetDateTime next) {
    return tx.preparedQuery("""
            UPDATE customer_erasure_step SET attempts = attempts + 1, next_attempt_at = $4, last_error = left($5, 2000)
             WHERE tenant_id = $1 AND customer_id = $2 AND service = $3""")
        .execute(Tuple.of(step.tenantId(), step.customerId(), step.service(), next, error))
        .replaceWithVoid();
  }
}
