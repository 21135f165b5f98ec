package com.shopcrm.customer.service;

import com.shopcrm.common.problem.Violations;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.customer.model.BatchItemResult;
import com.shopcrm.customer.model.BatchItemResult.Status;
import com.shopcrm.customer.model.BatchResults;
import com.shopcrm.customer.model.ContactNormalizer;
import com.shopcrm.customer.model.CustomerInput;
import com.shopcrm.customer.repository.CustomerBatchRepository;
import com.shopcrm.customer.repository.CustomerBatchRepository.Columns;
import com.shopcrm.customer.repository.CustomerBatchRepository.Resolved;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /customers/batch}: validates every item first (bad ones are reported by index and
 * skipped), then upserts the valid ones by (platform, external id) atomically with a fixed number
 * of set-based statements, whatever the batch size.
 */
@ApplicationScoped
public class CustomerBatchService {

  public static final int MAX_ITEMS = 1000;

  private final CustomerBatchRepository batch;
  private final ObjectMapper mapper;
  private final Validator validator;
  private final Clock clock;

  CustomerBatchService(CustomerBatchRepository batch, ObjectMapper mapper, Validator validator, Clock clock) {
    this.batch = batch;
    this.mapper = mapper;
    this.validator = validator;
    this.clock = clock;
  }

  /** An item that passed validation, with its position in the request. */
  private record Valid(int index, CustomerInput input, String key, boolean nameGiven) {
  }

  public Uni<BatchResults> upsert(SqlClient tx, TenantContext tenant, List<JsonNode> items) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    BatchItemResult[] results = new BatchItemResult[items.size()];
    List<Valid> valid = new ArrayList<>();
    Map<String, Integer> firstByKey = new HashMap<>();
    Set<Integer> nameless = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode node = items.get(i);
      String externalId = node != null && node.path("external_id").isTextual() ? node.get("external_id").asText() : null;
      CustomerInput input;
      try {
        if (node == null || !node.isObject()) {
          results[i] = BatchItemResult.error(i, null, "must be a JSON object");
          continue;
        }
        if (externalId != null && (!node.hasNonNull("name"))) {
          // no name: a new profile is named by its external id, an existing one keeps its name
          ((ObjectNode) node).put("name", externalId);
          nameless.add(i);
        }
        input = mapper.treeToValue(node, CustomerInput.class);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        Problem.FieldError error = Violations.readError(e);
        results[i] = BatchItemResult.error(i, externalId, error.field() + ": " + error.message());
        continue;
      }
      List<Problem.FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(input)));
      if (input.externalId() == null) {
        errors.add(new Problem.FieldError("external_id", "is required in a batch upsert"));
      }
      if (!errors.isEmpty()) {
        results[i] = BatchItemResult.error(i, externalId, Violations.describe(errors));
        continue;
      }
      String key = CustomerBatchRepository.key(input.platformOrDefault().wire(), input.externalId());
      Integer first = firstByKey.putIfAbsent(key, i);
      if (first != null) {
        results[i] = BatchItemResult.error(i, externalId, "external_id: same platform and external_id as item " + first);
        continue;
      }
      valid.add(new Valid(i, input, key, !nameless.contains(i)));
    }
    if (valid.isEmpty()) {
      return Uni.createFrom().item(new BatchResults(List.of(results)));
    }
    String[] platforms = valid.stream().map(v -> v.input().platformOrDefault().wire()).toArray(String[]::new);
    String[] externalIds = valid.stream().map(v -> v.input().externalId()).toArray(String[]::new);
    return batch.resolve(tx, tenant.tenantId(), platforms, externalIds, now)
        .flatMap(resolved -> write(tx, tenant, valid, resolved, results, now))
        .map(ignored -> new BatchResults(List.of(results)));
  }

  private Uni<Void> write(SqlClient tx, TenantContext tenant, List<Valid> candidates, Map<String, Resolved> resolved,
      BatchItemResult[] results, OffsetDateTime now) {
    // Two external ids of one customer (e.g. after a merge) in one call: the later one is refused.
    Map<Long, Integer> firstById = new HashMap<>();
    List<Valid> valid = new ArrayList<>();
    for (Valid v : candidates) {
      Integer first = firstById.putIfAbsent(resolved.get(v.key()).customerId(), v.index());
      if (first != null) {
        results[v.index()] = BatchItemResult.error(v.index(), v.input().externalId(),
            "external_id: names the same customer as item " + first);
      } else {
        valid.add(v);
      }
    }
    int n = valid.size();
    long[] ids = new long[n];
    boolean[] created = new boolean[n];
    String[][] text = new String[13][n];
    LocalDate[] birthday = new LocalDate[n];
    List<Long> tagIds = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    List<Long> existing = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CustomerInput in = valid.get(i).input();
      Resolved r = resolved.get(valid.get(i).key());
      ids[i] = r.customerId();
      created[i] = r.created();
      if (!r.created()) {
        existing.add(r.customerId());
      }
      text[0][i] = in.platformOrDefault().wire();
      text[1][i] = in.externalId();
      text[2][i] = valid.get(i).nameGiven() || r.created() ? in.name().trim() : null;
      text[3][i] = in.phone();
      text[4][i] = ContactNormalizer.phone(in.phone());
      text[5][i] = in.email();
      text[6][i] = ContactNormalizer.email(in.email());
      text[7][i] = in.gender() == null ? null : in.gender().wire();
      text[8][i] = in.province();
      text[9][i] = in.city();
      text[10][i] = in.ageBand();
      text[11][i] = in.occupation();
      text[12][i] = in.attributes() == null ? null : json(in.attributes());
      birthday[i] = in.birthday();
      for (String tag : in.tagList()) {
        tagIds.add(r.customerId());
        tags.add(tag);
      }
    }
    Columns columns = new Columns(text[0], text[1], text[2], text[3], text[4], text[5], text[6], text[7], birthday,
        text[8], text[9], text[10], text[11], text[12]);
    return batch.upsert(tx, tenant.tenantId(), ids, created, columns, now)
        .flatMap(updated -> (tags.isEmpty()
            ? Uni.createFrom().item(Set.<Long>of())
            : batch.addTags(tx, tenant.tenantId(), tagIds.toArray(Long[]::new), tags.toArray(String[]::new),
                existing.toArray(Long[]::new), now))
            .map(tagged -> {
              for (int i = 0; i < n; i++) {
                Valid v = valid.get(i);
                Status status = created[i] ? Status.CREATED
                    : updated.contains(ids[i]) || tagged.contains(ids[i]) ? Status.UPDATED : Status.UNCHANGED;
                results[v.index()] = new BatchItemResult(v.index(), ids[i], v.input().externalId(), status, null);
              }
              return null;
            }));
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
