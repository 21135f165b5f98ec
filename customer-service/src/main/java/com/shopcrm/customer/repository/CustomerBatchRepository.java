package com.shopcrm.customer.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bulk upsert of up to 1,000 customers by (platform, external id).
 *
 * <p>Why the reactive {@code Pool} with {@code unnest} arrays and not an ORM or a statement per
 * item: a call is three statements whatever its size (claim identities, insert + update the
 * profiles, add tags), each sent with a handful of array parameters, so the cost is one round
 * trip and one plan per statement and PostgreSQL does the set work with its indexes. With a
 * million customers in the table every lookup is a primary-key probe; nothing scans.
 */
@ApplicationScoped
public class CustomerBatchRepository {

  /** Where an identity leads: the customer, and whether this call created it. */
  public record Resolved(long customerId, boolean created) {
  }

  /** The columns of the valid items, index-aligned arrays (null = not given). */
  public record Columns(String[] platform, String[] externalId, String[] name, String[] phone, String[] phoneNorm,
      String[] email, String[] emailNorm, String[] gender, LocalDate[] birthday, String[] province, String[] city,
      String[] ageBand, String[] occupation, String[] attributesJson) {
  }

  /**
   * Claims the identities not yet known, reserving a customer id for each (ordered by key, so
   * concurrent calls lock in the same order), and reads the ones that exist. Keys are
   * {@code platform + '\u0000' + external_id}.
   */
  public Uni<Map<String, Resolved>> resolve(SqlClient client, String tenantId, String[] platforms,
      String[] externalIds, OffsetDateTime now) {
    return client.preparedQuery("""
            WITH input AS (
                SELECT DISTINCT platform, external_id FROM unnest($2::text[], $3::text[]) AS i(platform, external_id)
            ), fresh AS (
                SELECT i.platform, i.external_id FROM input i
                 WHERE NOT EXISTS (SELECT 1 FROM customer_identity ci WHERE ci.tenant_id = $1
                                      AND ci.platform = i.platform AND ci.external_id = i.external_id)
                 ORDER BY i.platform, i.external_id
            ), claimed AS (
                INSERT INTO customer_identity (tenant_id, platform, external_id, customer_id, created_at)
                SELECT $1, platform, external_id, nextval('customer_id_seq'), $4 FROM fresh
                ON CONFLICT DO NOTHING
                RETURNING platform, external_id, customer_id
            )
            SELECT platform, external_id, customer_id, true AS created FROM claimed
            UNION ALL
            SELECT ci.platform, ci.external_id, ci.customer_id, false FROM input i
              JOIN customer_identity ci ON ci.tenant_id = $1 AND ci.platform = i.platform
                                       AND ci.external_id = i.external_id""")
        .execute(Tuple.of(tenantId, platforms, externalIds, now))
        .flatMap(rows -> {
          Map<String, Resolved> resolved = new HashMap<>();
          rows.forEach(row -> resolved.put(key(row), new Resolved(row.getLong("customer_id"), row.getBoolean("created"))));
          if (resolved.size() == distinct(platforms, externalIds)) {
            return Uni.createFrom().item(resolved);
          }
          // A concurrent call claimed some keys after this statement's snapshot: read them now.
          return client.preparedQuery("""
                  SELECT ci.platform, ci.external_id, ci.customer_id FROM unnest($2::text[], $3::text[]) AS i(platform, external_id)
                    JOIN customer_identity ci ON ci.tenant_id = $1 AND ci.platform = i.platform
                                             AND ci.external_id = i.external_id""")
              .execute(Tuple.of(tenantId, platforms, externalIds))
              .map(again -> {
                again.forEach(row -> resolved.putIfAbsent(key(row), new Resolved(row.getLong("customer_id"), false)));
                return resolved;
              });
        });
  }

  /**
   * Inserts the created profiles and updates the existing ones in one statement. Given fields
   * overwrite, absent ones are kept, attributes are merged key by key. Returns the ids that were
   * updated (rows whose values did not change are not touched and not returned).
   */
  public Uni<Set<Long>> upsert(SqlClient client, String tenantId, long[] ids, boolean[] created, Columns c,
      OffsetDateTime now) {
    Long[] boxedIds = new Long[ids.length];
    Boolean[] boxedCreated = new Boolean[created.length];
    for (int i = 0; i < ids.length; i++) {
      boxedIds[i] = ids[i];
      boxedCreated[i] = created[i];
    }
    return client.preparedQuery("""
            WITH input AS (
                SELECT * FROM unnest($2::bigint[], $3::boolean[], $4::text[], $5::text[], $6::text[], $7::text[],
                                     $8::text[], $9::text[], $10::text[], $11::text[], $12::date[], $13::text[],
                                     $14::text[], $15::text[], $16::text[], $17::text[])
                    AS i(id, created, platform, external_id, name, phone, phone_norm, email, email_norm, gender,
                         birthday, province, city, age_band, occupation, attributes)
            ), inserted AS (
                INSERT INTO customer (tenant_id, id, platform, external_id, name, phone, phone_norm, email, email_norm,
                                      gender, birthday, province, city, age_band, occupation, attributes,
                                      created_at, updated_at)
                SELECT $1, id, platform, external_id, name, phone, phone_norm, email, email_norm, gender, birthday,
                       province, city, age_band, occupation, coalesce(attributes::jsonb, '{}'), $18, $18
                  FROM input WHERE created
                RETURNING id
            ), updated AS (
                UPDATE customer c SET
                    name = coalesce(i.name, c.name),
                    phone = coalesce(i.phone, c.phone), phone_norm = coalesce(i.phone_norm, c.phone_norm),
                    email = coalesce(i.email, c.email), email_norm = coalesce(i.email_norm, c.email_norm),
                    gender = coalesce(i.gender, c.gender), birthday = coalesce(i.birthday, c.birthday),
                    province = coalesce(i.province, c.province), city = coalesce(i.city, c.city),
                    age_band = coalesce(i.age_band, c.age_band), occupation = coalesce(i.occupation, c.occupation),
                    attributes = c.attributes || coalesce(i.attributes::jsonb, '{}'),
                    updated_at = $18
                  FROM input i
                 WHERE NOT i.created AND c.tenant_id = $1 AND c.id = i.id
                   AND (c.name, c.phone, c.email, c.gender, c.birthday, c.province, c.city, c.age_band, c.occupation,
                        c.attributes)
                       IS DISTINCT FROM
                       (coalesce(i.name, c.name), coalesce(i.phone, c.phone), coalesce(i.email, c.email),
                        coalesce(i.gender, c.gender), coalesce(i.birthday, c.birthday),
                        coalesce(i.province, c.province), coalesce(i.city, c.city),
                        coalesce(i.age_band, c.age_band), coalesce(i.occupation, c.occupation),
                        c.attributes || coalesce(i.attributes::jsonb, '{}'))
                RETURNING c.id
            )
            SELECT id, false AS inserted FROM updated
            UNION ALL
            SELECT id, true FROM inserted""")
        .execute(Tuple.from(java.util.Arrays.asList(tenantId, boxedIds, boxedCreated, c.platform(), c.externalId(), c.name(),
            c.phone(), c.phoneNorm(), c.email(), c.emailNorm(), c.gender(), c.birthday(), c.province(), c.city(),
            c.ageBand(), c.occupation(), c.attributesJson(), now)))
        .map(rows -> {
          Set<Long> updated = new HashSet<>();
          for (Row row : rows) {
            if (!row.getBoolean("inserted")) {
              updated.add(row.getLong("id"));
            }
          }
          return updated;
        });
  }

  /**
   * Adds (customer, tag) pairs; the existing customers that gained a tag get {@code updated_at}
   * bumped. Returns those customers' ids.
   */
  public Uni<Set<Long>> addTags(SqlClient client, String tenantId, Long[] customerIds, String[] tags,
      Long[] existingIds, OffsetDateTime now) {
    return client.preparedQuery("""
            WITH added AS (
                INSERT INTO customer_tag (tenant_id, tag, customer_id, created_at)
                SELECT $1, tag, customer_id, $5 FROM unnest($2::bigint[], $3::text[]) AS t(customer_id, tag)
                ON CONFLICT DO NOTHING
                RETURNING customer_id
            )
            UPDATE customer SET updated_at = $5
             WHERE tenant_id = $1 AND id IN (SELECT customer_id FROM added) AND id = ANY($4::bigint[])
            RETURNING id""")
        .execute(Tuple.of(tenantId, customerIds, tags, existingIds, now))
        .map(rows -> {
          Set<Long> touched = new HashSet<>();
          rows.forEach(row -> touched.add(row.getLong("id")));
          return touched;
        });
  }

  public static String key(String platform, String externalId) {
    return platform + '\u0000' + externalId;
  }

  private static String key(Row row) {
    return key(row.getString("platform"), row.getString("external_id"));
  }

  private static int distinct(String[] platforms, String[] externalIds) {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < platforms.length; i++) {
      keys.add(key(platforms[i], externalIds[i]));
    }
    return keys.size();
  }
}
