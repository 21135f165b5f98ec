package com.shopcrm.customer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.customer.membership.MembershipRepository;
import com.shopcrm.customer.model.ContactNormalizer;
import com.shopcrm.customer.model.CustomerContacts;
import com.shopcrm.customer.model.CustomerFilter;
import com.shopcrm.customer.model.CustomerInput;
import com.shopcrm.customer.model.CustomerTags;
import com.shopcrm.customer.model.CustomerView;
import com.shopcrm.customer.model.DuplicateView;
import com.shopcrm.customer.model.MergeRequest;
import com.shopcrm.customer.model.Platform;
import com.shopcrm.customer.model.TagCount;
import com.shopcrm.customer.repository.CustomerRepository;
import com.shopcrm.customer.repository.CustomerRepository.Absent;
import com.shopcrm.customer.repository.CustomerRepository.Merged;
import com.shopcrm.customer.repository.CustomerRepository.State;
import com.shopcrm.customer.repository.CustomerRepository.Stored;
import com.shopcrm.customer.ticket.TicketRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Customer profiles: create, read, change (merge-patch), delete, tags, duplicates and merge. Calls
 * that take a {@link SqlClient} run inside the caller's transaction (the one
 * {@code IdempotentWrites} opens); the others open their own.
 */
@ApplicationScoped
public class CustomerService {

  private final Pool pool;
  private final CustomerRepository customers;
  private final MembershipRepository membership;
  private final TicketRepository tickets;
  private final ObjectMapper mapper;
  private final Clock clock;

  CustomerService(Pool pool, CustomerRepository customers, MembershipRepository membership, TicketRepository tickets,
      ObjectMapper mapper, Clock clock) {
    this.pool = pool;
    this.customers = customers;
    this.membership = membership;
    this.tickets = tickets;
    this.mapper = mapper;
    this.clock = clock;
  }

  /** A field-by-field change: the fields present in the request body and their parsed values. */
  public record CustomerPatch(Set<String> present, CustomerInput values, JsonNode attributes) {
    boolean has(String field) {
      return present.contains(field);
    }
  }

  public Uni<CustomerView> create(SqlClient tx, TenantContext tenant, CustomerInput in) {
    OffsetDateTime now = now();
    Platform platform = in.platformOrDefault();
    return customers.nextId(tx).flatMap(id -> claim(tx, tenant, platform, in.externalId(), id, now)
        .flatMap(ignored -> customers.write(tx, tenant.tenantId(), new Stored(id, platform, in.externalId(),
            in.name().trim(), in.phone(), ContactNormalizer.phone(in.phone()), in.email(),
            ContactNormalizer.email(in.email()), in.gender(), in.birthday(), in.province(), in.city(), in.ageBand(),
            in.occupation(), json(in.attributes() == null ? Map.of() : in.attributes()), now), true))
        .flatMap(ignored -> customers.addTags(tx, tenant.tenantId(), id, in.tagList(), now))
        .flatMap(ignored -> customers.find(tx, tenant.tenantId(), id))
        .map(CustomerRepository.Found::view));
  }

  /** The live profile; 404 when there is none in this tenant, 410 when it was merged away. */
  public Uni<CustomerView> get(TenantContext tenant, long id) {
    return customers.find(pool, tenant.tenantId(), id).map(found -> {
      if (found == null) {
        throw ProblemException.notFound("customer", id);
      }
      if (found.mergedInto() != null) {
        throw new CustomerMergedException(id, found.mergedInto());
      }
      return found.view();
    });
  }

  public Uni<Page<CustomerView>> list(TenantContext tenant, CustomerFilter filter, PageRequest page) {
    return customers.list(pool, tenant.tenantId(), filter, page).map(rows -> Page.of(rows, page, CustomerView::id));
  }

  public Uni<CustomerView> patch(TenantContext tenant, long id, CustomerPatch patch) {
    OffsetDateTime now = now();
    return pool.withTransaction(tx -> requireLive(tx, tenant, id, true)
        .flatMap(ignored -> customers.find(tx, tenant.tenantId(), id))
        .flatMap(found -> {
          CustomerView current = found.view();
          CustomerInput in = patch.values();
          Platform platform = patch.has("platform") ? in.platformOrDefault() : current.platform();
          String externalId = patch.has("external_id") ? in.externalId() : current.externalId();
          Uni<Void> identity = Uni.createFrom().voidItem();
          if (!Objects.equals(externalId, current.externalId()) || platform != current.platform()) {
            if (current.externalId() != null) {
              throw ProblemException.invalid(patch.has("external_id") ? "external_id" : "platform",
                  "cannot change once the customer has an external id; merge profiles to link identities");
            }
            if (externalId != null) {
              identity = claim(tx, tenant, platform, externalId, id, now);
            }
          }
          String phone = patch.has("phone") ? in.phone() : current.phone();
          String email = patch.has("email") ? in.email() : current.email();
          JsonNode attributes = patch.has("attributes")
              ? (patch.attributes() == null || patch.attributes().isNull()
                  ? mapper.createObjectNode() : mergePatch(current.attributes(), patch.attributes()))
              : current.attributes();
          Stored row = new Stored(id, platform, externalId,
              patch.has("name") ? in.name().trim() : current.name(),
              phone, ContactNormalizer.phone(phone), email, ContactNormalizer.email(email),
              patch.has("gender") ? in.gender() : current.gender(),
              patch.has("birthday") ? in.birthday() : current.birthday(),
              patch.has("province") ? in.province() : current.province(),
              patch.has("city") ? in.city() : current.city(),
              patch.has("age_band") ? in.ageBand() : current.ageBand(),
              patch.has("occupation") ? in.occupation() : current.occupation(),
              json(attributes), now);
          Uni<Void> tags = patch.has("tags")
              ? customers.replaceTags(tx, tenant.tenantId(), id, in.tagList(), now)
              : Uni.createFrom().voidItem();
          return identity
              .flatMap(ignored -> customers.write(tx, tenant.tenantId(), row, false))
              .flatMap(ignored -> tags)
              .flatMap(ignored -> customers.find(tx, tenant.tenantId(), id))
              .map(CustomerRepository.Found::view);
        }));
  }

  public Uni<Void> delete(TenantContext tenant, long id) {
    return pool.withTransaction(tx -> requireLive(tx, tenant, id, true)
        .flatMap(ignored -> customers.delete(tx, tenant.tenantId(), id))
        .replaceWithVoid());
  }

  public Uni<List<DuplicateView>> duplicates(TenantContext tenant, long id) {
    return get(tenant, id).flatMap(customer -> {
      String phone = ContactNormalizer.phone(customer.phone());
      String email = ContactNormalizer.email(customer.email());
      if (phone == null && email == null) {
        return Uni.createFrom().item(List.<DuplicateView>of());
      }
      return customers.sharingContact(pool, tenant.tenantId(), id, phone, email).map(others -> others.stream()
          .map(other -> {
            List<String> matched = new ArrayList<>();
            if (phone != null && phone.equals(ContactNormalizer.phone(other.phone()))) {
              matched.add("phone");
            }
            if (email != null && email.equals(ContactNormalizer.email(other.email()))) {
              matched.add("email");
            }
            return new DuplicateView(other, matched);
          }).toList());
    });
  }

  /** Contact details of up to 5000 customers of the tenant (absent: unknown, other tenant's, merged away). */
  public Uni<CustomerContacts.Response> contacts(TenantContext tenant, List<Long> ids) {
    Long[] distinct = ids.stream().distinct().toArray(Long[]::new);
    return customers.contacts(pool, tenant.tenantId(), distinct).map(CustomerContacts.Response::new);
  }

  /**
   * Folds {@code merged_id} into {@code survivor_id} in the caller's transaction: the profile, tags,
   * events, consent and identities ({@link CustomerRepository#merge}), the membership (points ledger
   * and balance, spend, the better tier: {@link MembershipRepository#merge}) and the service tickets.
   * Returns the survivor.
   */
  public Uni<CustomerView> merge(SqlClient tx, TenantContext tenant, MergeRequest request) {
    long survivor = request.survivorId();
    long loser = request.mergedId();
    if (survivor == loser) {
      throw ProblemException.invalid("merged_id", "must differ from survivor_id");
    }
    return customers.lockAll(tx, tenant.tenantId(), new Long[] {survivor, loser}).flatMap(states -> {
      for (long id : new long[] {survivor, loser}) {
        Long into = states.get(id);
        if (into == null) {
          throw ProblemException.notFound("customer", id);
        }
        if (into != 0) {
          throw ProblemException.conflict("customer " + id + " was already merged into customer " + into);
        }
      }
      OffsetDateTime now = now();
      return customers.merge(tx, tenant.tenantId(), survivor, loser, now)
          .flatMap(ignored -> membership.merge(tx, tenant.tenantId(), survivor, loser, now))
          .flatMap(ignored -> tickets.reassignCustomer(tx, tenant.tenantId(), survivor, loser, now))
          .flatMap(ignored -> customers.find(tx, tenant.tenantId(), survivor))
          .map(CustomerRepository.Found::view);
    });
  }

  public Uni<CustomerTags.View> addTags(TenantContext tenant, long id, List<String> tags) {
    List<String> distinct = tags.stream().map(String::trim).distinct().toList();
    return pool.withTransaction(tx -> requireLive(tx, tenant, id, false)
        .flatMap(ignored -> customers.addTags(tx, tenant.tenantId(), id, distinct, now()))
        .map(all -> new CustomerTags.View(id, all)));
  }

  public Uni<Void> removeTag(TenantContext tenant, long id, String tag) {
    return pool.withTransaction(tx -> requireLive(tx, tenant, id, false)
        .flatMap(ignored -> customers.removeTag(tx, tenant.tenantId(), id, tag)));
  }

  public Uni<List<TagCount>> tagCounts(TenantContext tenant) {
    return customers.tagCounts(pool, tenant.tenantId());
  }

  /** Fails with 404 / 410 unless the customer is live; locks its row for the transaction. */
  public Uni<Void> requireLive(SqlClient tx, TenantContext tenant, long id, boolean exclusive) {
    return customers.lockState(tx, tenant.tenantId(), id, exclusive).map(state -> check(state, id));
  }

  static Void check(State state, long id) {
    if (state instanceof Absent) {
      throw ProblemException.notFound("customer", id);
    }
    if (state instanceof Merged merged) {
      throw new CustomerMergedException(id, merged.into());
    }
    return null;
  }

  private Uni<Void> claim(SqlClient tx, TenantContext tenant, Platform platform, String externalId, long id,
      OffsetDateTime now) {
    if (externalId == null) {
      return Uni.createFrom().voidItem();
    }
    return customers.claimIdentity(tx, tenant.tenantId(), platform, externalId, id, now).flatMap(claimed -> claimed
        ? Uni.createFrom().voidItem()
        : customers.findByIdentity(tx, tenant.tenantId(), platform, externalId).map(holder -> {
          throw ProblemException.conflict("a customer with platform " + platform.wire() + " and external_id '"
              + externalId + "' already exists (id " + holder + ")");
        }));
  }

  /** RFC 7386 JSON merge patch: objects merge key by key, null removes a key, anything else replaces. */
  JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : mapper.createObjectNode();
    patch.fields().forEachRemaining(field -> {
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
      }
    });
    return result;
  }

  String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
