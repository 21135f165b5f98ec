package com.shopcrm.customer.ticket;

import static com.shopcrm.common.web.QueryParams.blankToNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;
import com.shopcrm.common.tenant.Roles;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.customer.service.CustomerService;
import com.shopcrm.common.problem.Violations;
import com.shopcrm.customer.ticket.TicketModels.Category;
import com.shopcrm.customer.ticket.TicketModels.CategoryKpis;
import com.shopcrm.customer.ticket.TicketModels.CommentInput;
import com.shopcrm.customer.ticket.TicketModels.Durations;
import com.shopcrm.customer.ticket.TicketModels.KpiReport;
import com.shopcrm.customer.ticket.TicketModels.Priority;
import com.shopcrm.customer.ticket.TicketModels.SatisfactionInput;
import com.shopcrm.customer.ticket.TicketModels.ScanResult;
import com.shopcrm.customer.ticket.TicketModels.SlaPolicy;
import com.shopcrm.customer.ticket.TicketModels.Status;
import com.shopcrm.customer.ticket.TicketModels.StatusChange;
import com.shopcrm.customer.ticket.TicketModels.TicketInput;
import com.shopcrm.customer.ticket.TicketModels.TicketPatch;
import com.shopcrm.customer.ticket.TicketModels.TicketView;
import com.shopcrm.customer.ticket.TicketModels.TimelineEntry;
import com.shopcrm.customer.ticket.TicketRepository.NewTicket;
import com.shopcrm.customer.ticket.TicketRepository.TicketFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Service tickets: creation with SLA due times, reclassification, the status flow, comments,
 * the timeline, the overdue scan (breach events into the {@code ticket_event} outbox),
 * satisfaction and KPIs (docs/CUSTOMER_CARE.md).
 */
@ApplicationScoped
public class TicketService {

  private static final Set<String> PRIORITIES = Set.of("low", "normal", "high", "urgent");

  private final Pool pool;
  private final TicketRepository tickets;
  private final CustomerService customers;
  private final ObjectMapper mapper;
  private final Validator validator;
  private final Clock clock;

  TicketService(Pool pool, TicketRepository tickets, CustomerService customers, ObjectMapper mapper,
      Validator validator, Clock clock) {
    this.pool = pool;
    this.tickets = tickets;
    this.customers = customers;
    this.mapper = mapper;
    this.validator = validator;
    this.clock = clock;
  }

  // ---------------------------------------------------------------- SLA policy

  public Uni<SlaPolicy> policy(TenantContext tenant) {
    return tickets.policy(pool, tenant.tenantId());
  }

  /** Missing priorities take the defaults; unknown priority or category names are a 400. */
  public Uni<SlaPolicy> savePolicy(TenantContext tenant, SlaPolicy in) {
    Map<String, Durations> priorities = new TreeMap<>(SlaPolicy.defaults().priorities());
    List<Problem.FieldError> errors = new ArrayList<>();
    if (in.priorities() != null) {
      in.priorities().forEach((name, d) -> {
        if (!PRIORITIES.contains(name)) {
          errors.add(new Problem.FieldError("priorities." + name, "not a priority (low, normal, high, urgent)"));
        } else if (d.firstResponseMinutes() == null || d.resolutionMinutes() == null) {
          errors.add(new Problem.FieldError("priorities." + name,
              "first_response_minutes and resolution_minutes are required"));
        } else {
          priorities.put(name, d);
        }
      });
    }
    Map<String, Durations> categories = new TreeMap<>();
    if (in.categories() != null) {
      in.categories().forEach((name, d) -> {
        if (Arrays.stream(Category.values()).noneMatch(c -> c.wire().equals(name))) {
          errors.add(new Problem.FieldError("categories." + name, "not a ticket category"));
        } else {
          categories.put(name, d);
        }
      });
    }
    if (!errors.isEmpty()) {
      throw Violations.problem(errors);
    }
    SlaPolicy policy = new SlaPolicy(priorities, categories);
    return pool.withTransaction(tx -> tickets.savePolicy(tx, tenant.tenantId(), policy, now())).replaceWith(policy);
  }

  /** The strictest of the priority's targets and the categories' overrides, in minutes: [first response, resolution]. */
  static int[] targets(SlaPolicy policy, Priority priority, List<Category> categories) {
    Durations base = policy.priorities().getOrDefault(priority.wire(),
        SlaPolicy.defaults().priorities().get(priority.wire()));
    int first = base.firstResponseMinutes();
    int resolution = base.resolutionMinutes();
    Map<String, Durations> overrides = policy.categories() == null ? Map.of() : policy.categories();
    for (Category c : categories) {
      Durations o = overrides.get(c.wire());
      if (o != null && o.firstResponseMinutes() != null) {
        first = Math.min(first, o.firstResponseMinutes());
      }
      if (o != null && o.resolutionMinutes() != null) {
        resolution = Math.min(resolution, o.resolutionMinutes());
      }
    }
    return new int[] {first, resolution};
  }

  // ---------------------------------------------------------------- tickets

  public Uni<TicketView> create(SqlClient tx, TenantContext tenant, TicketInput in) {
    OffsetDateTime now = now();
    String tid = tenant.tenantId();
    Priority priority = in.priority() == null ? Priority.NORMAL : in.priority();
    List<Category> categories = in.categories().stream().distinct().toList();
    return customers.requireLive(tx, tenant, in.customerId(), false)
        .flatMap(ignored -> tickets.policy(tx, tid))
        .flatMap(policy -> {
          int[] t = targets(policy, priority, categories);
          NewTicket row = new NewTicket(in.customerId(), blankToNull(in.orderNo()), in.channel(), categories, priority,
              in.subject().trim(), in.description(), in.attachments() == null ? List.of() : in.attachments(),
              blankToNull(in.assignee()), now.plusMinutes(t[0]), now.plusMinutes(t[1]));
          return tickets.insert(tx, tid, row, now);
        })
        .flatMap(id -> tickets.addTimeline(tx, tid, id, "created", actor(tenant), true, in.subject().trim(),
                data("priority", priority.wire(), "categories", wires(categories), "channel", in.channel().wire()), now)
            .flatMap(ignored -> assigned(tx, tenant, id, null, blankToNull(in.assignee()), now))
            .flatMap(ignored -> tickets.find(tx, tid, id, now, false)));
  }

  public Uni<TicketView> get(TenantContext tenant, long id) {
    return tickets.find(pool, tenant.tenantId(), id, now(), false).map(t -> require(t, id));
  }

  public Uni<Page<TicketView>> list(TenantContext tenant, TicketFilter filter, PageRequest page) {
    return tickets.list(pool, tenant.tenantId(), filter, page, now()).map(rows -> Page.of(rows, page, TicketView::id));
  }

  /** Reclassify / reprioritise / (re)assign without touching the status; due times follow the new targets. */
  public Uni<TicketView> patch(TenantContext tenant, long id, ObjectNode body) {
    TicketPatch in;
    try {
      in = mapper.treeToValue(body, TicketPatch.class);
    } catch (JsonProcessingException e) {
      Problem.FieldError error = Violations.fieldError(e);
      throw Violations.problem(List.of(error));
    }
    List<Problem.FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(in)));
    if (body.has("categories") && in.categories() == null) {
      errors.add(new Problem.FieldError("categories", "must not be null"));
    }
    if (body.has("priority") && in.priority() == null) {
      errors.add(new Problem.FieldError("priority", "must not be null"));
    }
    if (!errors.isEmpty()) {
      throw Violations.problem(errors);
    }
    OffsetDateTime now = now();
    String tid = tenant.tenantId();
    return pool.withTransaction(tx -> tickets.find(tx, tid, id, now, true).flatMap(found -> {
      TicketView t = require(found, id);
      List<Category> categories = in.categories() == null ? t.categories() : in.categories().stream().distinct().toList();
      Priority priority = in.priority() == null ? t.priority() : in.priority();
      String assignee = body.has("assignee") ? blankToNull(in.assignee()) : t.assignee();
      return tickets.policy(tx, tid).flatMap(policy -> {
        int[] targets = targets(policy, priority, categories);
        TicketView next = with(t, categories, priority, t.status(), assignee,
            t.createdAt().plusMinutes(targets[0]), t.createdAt().plusMinutes(targets[1]), t.firstResponseAt(),
            t.resolvedAt(), t.closedAt(), t.firstResponseBreached(), t.resolutionBreached(), t.reopenCount());
        Uni<Void> steps = tickets.update(tx, tid, next, now);
        if (!new java.util.HashSet<>(categories).equals(new java.util.HashSet<>(t.categories()))) {
          steps = steps.flatMap(v -> tickets.addTimeline(tx, tid, id, "reclassified", actor(tenant), true, null,
              data("from", wires(t.categories()), "to", wires(categories)), now).replaceWithVoid());
        }
        if (priority != t.priority()) {
          steps = steps.flatMap(v -> tickets.addTimeline(tx, tid, id, "priority_changed", actor(tenant), true, null,
              data("from", t.priority().wire(), "to", priority.wire()), now).replaceWithVoid());
        }
        if (!Objects.equals(assignee, t.assignee())) {
          steps = steps.flatMap(v -> assigned(tx, tenant, id, t.assignee(), assignee, now));
        }
        return steps.flatMap(v -> tickets.find(tx, tid, id, now, false));
      });
    }));
  }

  /** Moves along the status flow; any other move is a 409. */
  public Uni<TicketView> changeStatus(SqlClient tx, TenantContext tenant, long id, StatusChange in) {
    OffsetDateTime now = now();
    String tid = tenant.tenantId();
    return tickets.find(tx, tid, id, now, true).flatMap(found -> {
      TicketView t = require(found, id);
      Status to = in.status();
      if (!t.status().next().contains(to)) {
        throw ProblemException.conflict("a ticket cannot move from " + t.status().wire() + " to " + to.wire()
            + "; allowed: " + t.status().next().stream().map(Status::wire).toList());
      }
      boolean reopen = to == Status.OPEN;
      OffsetDateTime firstResponse = t.firstResponseAt();
      boolean firstBreached = t.firstResponseBreached();
      if (to == Status.IN_PROGRESS && firstResponse == null) {
        firstResponse = now;
        firstBreached |= now.isAfter(t.firstResponseDue());
      }
      OffsetDateTime resolved = reopen ? null : to == Status.RESOLVED ? now : t.resolvedAt();
      boolean resolutionBreached = t.resolutionBreached() || (to == Status.RESOLVED && now.isAfter(t.resolutionDue()));
      OffsetDateTime closed = reopen ? null : to == Status.CLOSED ? now : t.closedAt();
      TicketView next = with(t, t.categories(), t.priority(), to, t.assignee(), t.firstResponseDue(),
          t.resolutionDue(), firstResponse, resolved, closed, firstBreached, resolutionBreached,
          t.reopenCount() + (reopen ? 1 : 0));
      return tickets.update(tx, tid, next, now)
          .flatMap(v -> tickets.addTimeline(tx, tid, id, reopen ? "reopened" : "status_changed", actor(tenant), true,
              blankToNull(in.note()), data("from", t.status().wire(), "to", to.wire()), now))
          .flatMap(v -> tickets.find(tx, tid, id, now, false));
    });
  }

  /** A public comment by an agent or admin is the first response. */
  public Uni<TimelineEntry> comment(SqlClient tx, TenantContext tenant, long id, CommentInput in) {
    OffsetDateTime now = now();
    String tid = tenant.tenantId();
    boolean agent = tenant.hasRole(Roles.AGENT) || tenant.hasRole(Roles.ADMIN);
    return tickets.find(tx, tid, id, now, true).flatMap(found -> {
      TicketView t = require(found, id);
      Uni<Void> response = Uni.createFrom().voidItem();
      if (in.visible() && agent && t.firstResponseAt() == null) {
        response = tickets.update(tx, tid, with(t, t.categories(), t.priority(), t.status(), t.assignee(),
            t.firstResponseDue(), t.resolutionDue(), now, t.resolvedAt(), t.closedAt(),
            t.firstResponseBreached() || now.isAfter(t.firstResponseDue()), t.resolutionBreached(), t.reopenCount()),
            now);
      }
      return response.flatMap(v -> tickets.addTimeline(tx, tid, id, "comment", actor(tenant), in.visible(),
          in.body(), data("by", agent ? "agent" : "customer"), now));
    });
  }

  public Uni<Page<TimelineEntry>> timeline(TenantContext tenant, long id, boolean publicOnly, PageRequest page) {
    return get(tenant, id)
        .flatMap(ignored -> tickets.timeline(pool, tenant.tenantId(), id, publicOnly, page))
        .map(rows -> Page.of(rows, page, TimelineEntry::id));
  }

  /** Only once the ticket is resolved (or closed), and once. */
  public Uni<TicketView> rate(SqlClient tx, TenantContext tenant, long id, SatisfactionInput in) {
    OffsetDateTime now = now();
    String tid = tenant.tenantId();
    return tickets.find(tx, tid, id, now, true).flatMap(found -> {
      TicketView t = require(found, id);
      if (!t.status().finished()) {
        throw ProblemException.conflict("a ticket can be rated once it is resolved; it is " + t.status().wire());
      }
      if (t.satisfaction() != null) {
        throw ProblemException.conflict("the ticket was already rated");
      }
      return tickets.rate(tx, tid, id, in.rating(), blankToNull(in.comment()), now)
          .flatMap(v -> tickets.addTimeline(tx, tid, id, "satisfaction", actor(tenant), true, blankToNull(in.comment()),
              data("rating", in.rating()), now))
          .flatMap(v -> tickets.find(tx, tid, id, now, false));
    });
  }

  // ---------------------------------------------------------------- SLA scan and KPIs

  /** Flags overdue first responses and resolutions and writes one ticket.sla_breached event each. */
  public Uni<ScanResult> scan(String tenantId, OffsetDateTime asOf) {
    OffsetDateTime now = now();
    OffsetDateTime at = asOf == null ? now : asOf.withOffsetSameInstant(ZoneOffset.UTC);
    return pool.withTransaction(tx -> tickets.flagBreaches(tx, tenantId, "first_response", at, now)
        .flatMap(first -> tickets.flagBreaches(tx, tenantId, "resolution", at, now)
            .map(resolution -> new ScanResult(at, first, resolution))));
  }

  public Uni<KpiReport> kpis(TenantContext tenant, OffsetDateTime from, OffsetDateTime to, Long orders) {
    OffsetDateTime now = now();
    String tid = tenant.tenantId();
    return tickets.kpis(pool, tid, from, to, now).flatMap(overall -> tickets.kpisByCategory(pool, tid, from, to, now)
        .map(byCategory -> {
          BigDecimal per100 = orders == null || orders == 0 ? null
              : BigDecimal.valueOf(overall.tickets() * 100).divide(BigDecimal.valueOf(orders), 2, RoundingMode.HALF_UP);
          String note = orders == null
              ? "pass ?orders= (the number of orders in the period, from order-service) for tickets_per_100_orders"
              : null;
          List<CategoryKpis> categories = byCategory.entrySet().stream()
              .map(e -> new CategoryKpis(e.getKey(), e.getValue())).toList();
          return new KpiReport(from, to, overall, orders, per100, note, categories);
        }));
  }

  // ---------------------------------------------------------------- helpers

  private Uni<Void> assigned(SqlClient tx, TenantContext tenant, long id, String from, String to,
      OffsetDateTime now) {
    if (Objects.equals(from, to)) {
      return Uni.createFrom().voidItem();
    }
    Map<String, Object> data = new HashMap<>();
    data.put("from", from);
    data.put("to", to);
    return tickets.addTimeline(tx, tenant.tenantId(), id, "assigned", actor(tenant), false, null, data, now)
        .replaceWithVoid();
  }

  private static TicketView with(TicketView t, List<Category> categories, Priority priority, Status status,
      String assignee, OffsetDateTime firstDue, OffsetDateTime resolutionDue, OffsetDateTime firstResponseAt,
      OffsetDateTime resolvedAt, OffsetDateTime closedAt, boolean firstBreached, boolean resolutionBreached,
      int reopenCount) {
    return new TicketView(t.id(), t.customerId(), t.orderNo(), t.channel(), categories, priority, status, t.subject(),
        t.description(), t.attachments(), assignee, firstDue, resolutionDue, firstResponseAt, resolvedAt, closedAt,
        firstBreached, resolutionBreached, t.breached(), reopenCount, t.satisfaction(), t.createdAt(), t.updatedAt());
  }

  private static TicketView require(TicketView t, long id) {
    if (t == null) {
      throw ProblemException.notFound("ticket", id);
    }
    return t;
  }

  private static String actor(TenantContext tenant) {
    return tenant.subject();
  }

  private static List<String> wires(List<Category> categories) {
    return categories.stream().map(Category::wire).toList();
  }

  private static Map<String, Object> data(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  /** The scheduled scan: every tenant with unfinished tickets in one pass. */
  public Uni<ScanResult> scanAll() {
    return scan(null, null);
  }
}
