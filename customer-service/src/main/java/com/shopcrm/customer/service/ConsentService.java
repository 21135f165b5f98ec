package com.shopcrm.customer.service;

import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.customer.model.Channel;
import com.shopcrm.customer.model.ConsentInput;
import com.shopcrm.customer.model.ConsentState;
import com.shopcrm.customer.repository.ConsentRepository;
import com.shopcrm.customer.repository.ConsentRepository.Decision;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Consent per channel. The tenant's consent model is {@code implied} for now (ARCHITECTURE §3:
 * contactable until the customer opts out); an {@code explicit} model would make a channel
 * contactable only after a grant, and plugs in at {@link #contactable}.
 */
@ApplicationScoped
public class ConsentService {

  public static final String IMPLIED = "implied";
  static final int HISTORY_SHOWN = 100;

  private final Pool pool;
  private final ConsentRepository consents;
  private final CustomerService customers;
  private final Clock clock;

  ConsentService(Pool pool, ConsentRepository consents, CustomerService customers, Clock clock) {
    this.pool = pool;
    this.consents = consents;
    this.customers = customers;
    this.clock = clock;
  }

  public Uni<ConsentState> set(TenantContext tenant, long customerId, ConsentInput in) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    return pool.withTransaction(tx -> customers.requireLive(tx, tenant, customerId, false)
        .flatMap(ignored -> consents.record(tx, tenant.tenantId(), customerId, in.channel(), in.granted(),
            in.source(), now))
        .flatMap(ignored -> state(tx, tenant, customerId)));
  }

  public Uni<ConsentState> get(TenantContext tenant, long customerId) {
    return customers.get(tenant, customerId).flatMap(ignored -> state(pool, tenant, customerId));
  }

  private Uni<ConsentState> state(SqlClient client, TenantContext tenant, long customerId) {
    return consents.current(client, tenant.tenantId(), customerId)
        .flatMap(current -> consents.history(client, tenant.tenantId(), customerId, HISTORY_SHOWN)
            .map(history -> new ConsentState(customerId, IMPLIED, channels(current), history)));
  }

  private static List<ConsentState.ChannelState> channels(Map<Channel, Decision> current) {
    return Arrays.stream(Channel.values()).map(channel -> {
      Decision d = current.get(channel);
      return d == null
          ? new ConsentState.ChannelState(channel, null, contactable(null), null, null)
          : new ConsentState.ChannelState(channel, d.granted(), contactable(d.granted()), d.source(), d.changedAt());
    }).toList();
  }

  /** Under the implied model: contactable unless opted out. */
  static boolean contactable(Boolean granted) {
    return granted == null || granted;
  }
}
