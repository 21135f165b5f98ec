package com.shopcrm.campaign.channel;

import com.shopcrm.campaign.client.ContactDirectory;
import com.shopcrm.campaign.client.ContactDirectory.Contact;
import com.shopcrm.campaign.config.CampaignConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * E-mail through any SMTP server with Quarkus Mailer ({@code quarkus.mailer.host/port/from/tls/...};
 * selected by {@code crm.campaign.channel.email.adapter=smtp}). The recipients' addresses come from
 * customer-service in one bulk call per batch. Each mail carries {@code Message-ID:
 * <crm-<message id>@domain>} and {@code X-CRM-Message-Id}: a batch resent after a lost commit (at
 * least once) carries the same ids, so a receiving system can drop the duplicate.
 *
 * <p>No address, or opted out since the message was queued → failed for good; an SMTP error →
 * retried (transient) up to the attempt limit.
 */
@ApplicationScoped
public class SmtpEmailAdapter implements ChannelAdapter {

  private final ReactiveMailer mailer;
  private final ContactDirectory contacts;
  private final CampaignConfig config;

  SmtpEmailAdapter(ReactiveMailer mailer, ContactDirectory contacts, CampaignConfig config) {
    this.mailer = mailer;
    this.contacts = contacts;
    this.config = config;
  }

  @Override
  public Uni<Map<Long, Failure>> send(SqlClient tx, String channel, List<OutboundMessage> batch) {
    return contacts.lookup(batch).flatMap(found -> Multi.createFrom().iterable(batch)
        .onItem().transformToUni(m -> sendOne(m, found.get(ContactDirectory.key(m))))
        .merge(Math.max(1, config.channel().email().concurrency()))
        .collect().in(HashMap<Long, Failure>::new, (map, outcome) -> {
          if (outcome.failure() != null) {
            map.put(outcome.id(), outcome.failure());
          }
        }));
  }

  private Uni<Outcome> sendOne(OutboundMessage m, Contact contact) {
    if (contact == null || contact.email() == null || contact.email().isBlank()) {
      return Uni.createFrom().item(new Outcome(m.id(), Failure.permanent("no e-mail address")));
    }
    if (!contact.allows("email")) {
      return Uni.createFrom().item(new Outcome(m.id(), Failure.permanent("opted out of email")));
    }
    String messageId = "crm-" + m.id() + "@" + config.channel().email().messageIdDomain();
    Mail mail = Mail.withText(contact.email(), m.subject() == null ? "" : m.subject(), m.body())
        .addHeader("Message-ID", "<" + messageId + ">")
        .addHeader("X-CRM-Message-Id", String.valueOf(m.id()));
    return mailer.send(mail).map(ignored -> new Outcome(m.id(), null))
        .onFailure().recoverWithItem(e -> new Outcome(m.id(), Failure.transientFailure("smtp: " + e.getMessage())));
  }

  private record Outcome(long id, Failure failure) {
  }
}
