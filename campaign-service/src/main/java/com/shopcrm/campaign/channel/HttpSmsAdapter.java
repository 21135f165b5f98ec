package com.shopcrm.campaign.channel;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.shopcrm.campaign.client.ContactDirectory;
import com.shopcrm.campaign.client.ContactDirectory.Contact;
import com.shopcrm.campaign.config.CampaignConfig;
import com.shopcrm.campaign.config.CampaignConfig.Channel.Http;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SMS through an HTTP gateway ({@code crm.campaign.channel.sms.adapter=http}): one request per
 * message to {@code crm.campaign.channel.sms.http.url} with the configured method, headers (an API
 * key) and body template ({phone}, {text}, {message_id}); header {@code Idempotency-Key} = the
 * message id, so a batch resent after a lost commit (at least once) can be dropped by the gateway.
 * Phone numbers come from customer-service in one bulk call per batch.
 *
 * <p>2xx = sent; 408, 429, 5xx, a timeout or no connection = transient (queued again with back-off
 * up to {@code crm.campaign.dispatch.max-attempts}, then failed); any other answer, no phone number
 * or an opt-out since the message was queued = failed for good.
 */
@ApplicationScoped
public class HttpSmsAdapter implements ChannelAdapter {

  private final ContactDirectory contacts;
  private final CampaignConfig config;
  private final HttpClient http;

  HttpSmsAdapter(ContactDirectory contacts, CampaignConfig config) {
    this.contacts = contacts;
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.channel().sms().http().timeout()).build();
  }

  @Override
  public Uni<Map<Long, Failure>> send(SqlClient tx, String channel, List<OutboundMessage> batch) {
    Http settings = config.channel().sms().http();
    URI url = settings.url().orElseThrow(() -> new IllegalStateException(
        "crm.campaign.channel.sms.http.url is not set; SMS stay queued"));
    return contacts.lookup(batch).flatMap(found -> Multi.createFrom().iterable(batch)
        .onItem().transformToUni(m -> sendOne(settings, url, m, found.get(ContactDirectory.key(m))))
        .merge(Math.max(1, settings.concurrency()))
        .collect().in(HashMap<Long, Failure>::new, (map, outcome) -> {
          if (outcome.failure() != null) {
            map.put(outcome.id(), outcome.failure());
          }
        }));
  }

  private Uni<Outcome> sendOne(Http settings, URI url, OutboundMessage m, Contact contact) {
    if (contact == null || contact.phone() == null || contact.phone().isBlank()) {
      return Uni.createFrom().item(new Outcome(m.id(), Failure.permanent("no phone number")));
    }
    if (!contact.allows("sms")) {
      return Uni.createFrom().item(new Outcome(m.id(), Failure.permanent("opted out of sms")));
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(settings.timeout())
        .method(settings.method().toUpperCase(), HttpRequest.BodyPublishers.ofString(
            body(settings, contact.phone(), m), StandardCharsets.UTF_8))
        .header("Content-Type", settings.contentType())
        .header("Idempotency-Key", String.valueOf(m.id()));
    settings.headers().forEach(request::header);
    return Uni.createFrom()
        .completionStage(() -> http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()))
        .map(response -> new Outcome(m.id(), outcome(response.statusCode())))
        .onFailure().recoverWithItem(e -> new Outcome(m.id(), Failure.transientFailure("sms gateway: " + e)));
  }

  static Failure outcome(int status) {
    if (status >= 200 && status < 300) {
      return null;
    }
    boolean retry = status >= 500 || status == 408 || status == 429;
    return new Failure("sms gateway answered " + status, retry);
  }

  /** The template with {phone}, {text} and {message_id} replaced, escaped for the content type. */
  static String body(Http settings, String phone, OutboundMessage m) {
    String type = settings.contentType().toLowerCase();
    return settings.bodyTemplate()
        .replace("{phone}", escape(type, phone))
        .replace("{text}", escape(type, m.body()))
        .replace("{message_id}", escape(type, String.valueOf(m.id())));
  }

  private static String escape(String contentType, String value) {
    if (contentType.contains("json")) {
      return new String(JsonStringEncoder.getInstance().quoteAsString(value));
    }
    if (contentType.contains("x-www-form-urlencoded")) {
      return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
    return value;
  }

  private record Outcome(long id, Failure failure) {
  }
}
