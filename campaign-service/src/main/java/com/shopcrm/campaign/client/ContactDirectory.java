package com.shopcrm.campaign.client;

import com.shopcrm.campaign.channel.OutboundMessage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Phone numbers and e-mail addresses of a claimed batch's recipients, fetched from customer-service
 * in bulk: ONE call per tenant in the batch (never per message; a batch larger than {@link #MAX_IDS}
 * recipients in chunks).
 * campaign-service keeps no contact details itself. A failure (customer-service down, no key) fails
 * the look-up: the dispatcher's transaction rolls back and the batch stays queued.
 */
@ApplicationScoped
public class ContactDirectory {

  /** customer-service's limit per call. */
  public static final int MAX_IDS = 5000;

  /**
   * A recipient's contact details (either may be null) and whether customer-service, under the
   * shop's consent model, still allows the channel now ({@code null}: not said, allowed).
   */
  public record Contact(String phone, String email, Boolean consentSms, Boolean consentEmail) {

    public boolean allows(String channel) {
      Boolean consent = "sms".equals(channel) ? consentSms : "email".equals(channel) ? consentEmail : Boolean.TRUE;
      return consent == null || consent;
    }
  }

  private final CustomerContactsClient client;
  private final ServiceTokens tokens;

  ContactDirectory(@RestClient CustomerContactsClient client, ServiceTokens tokens) {
    this.client = client;
    this.tokens = tokens;
  }

  /** Contacts by (tenant, customer id) — key {@code tenant + "/" + customerId} — for the batch's recipients. */
  public Uni<Map<String, Contact>> lookup(List<OutboundMessage> batch) {
    Map<String, TreeSet<Long>> byTenant = new TreeMap<>();
    batch.forEach(m -> byTenant.computeIfAbsent(m.tenantId(), t -> new TreeSet<>()).add(m.customerId()));
    return Multi.createFrom().iterable(byTenant.entrySet())
        .onItem().transformToUniAndConcatenate(e -> {
          List<Long> ids = List.copyOf(e.getValue());
          return Multi.createFrom().range(0, (ids.size() + MAX_IDS - 1) / MAX_IDS)
              .onItem().transformToUniAndConcatenate(chunk -> fetch(e.getKey(),
                  ids.subList(chunk * MAX_IDS, Math.min(ids.size(), (chunk + 1) * MAX_IDS))))
              .collect().in(HashMap<String, Contact>::new, Map::putAll);
        })
        .collect().in(HashMap<String, Contact>::new, Map::putAll);
  }

  public static String key(OutboundMessage m) {
    return m.tenantId() + "/" + m.customerId();
  }

  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, jitter = 100)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 15, delayUnit = ChronoUnit.SECONDS)
  Uni<Map<String, Contact>> fetch(String tenantId, List<Long> ids) {
    String authorization = tokens.authorizationFor(tenantId).orElseThrow(() -> new IllegalStateException(
        "no internal private key configured (CRM_JWT_PRIVATE_KEY_LOCATION): cannot look contacts up"));
    return client.contacts(authorization, new CustomerContactsClient.ContactsRequest(ids)).map(response -> {
      Map<String, Contact> contacts = new HashMap<>();
      if (response != null && response.items() != null) {
        response.items().forEach(c -> contacts.put(tenantId + "/" + c.customerId(),
            new Contact(c.phone(), c.email(), c.consentSms(), c.consentEmail())));
      }
      return contacts;
    });
  }
}
