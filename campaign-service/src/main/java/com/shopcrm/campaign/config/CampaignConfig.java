package com.shopcrm.campaign.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/** Campaign launch and dispatch settings ({@code crm.campaign.*}). */
@ConfigMapping(prefix = "crm.campaign")
public interface CampaignConfig {

  /** At most this many messages per customer within {@link #frequencyWindow()}, across campaigns. */
  @WithDefault("3")
  int frequencyCap();

  @WithDefault("P7D")
  Duration frequencyWindow();

  /** The shop's time zone: quiet hours are shop time. */
  @WithDefault("Asia/Shanghai")
  ZoneId shopZone();

  /** Quiet hours start (inclusive) ... */
  @WithDefault("22:00")
  LocalTime quietFrom();

  /** ... and end (exclusive): a send in quiet hours moves to this time. */
  @WithDefault("08:00")
  LocalTime quietUntil();

  /** Recipients each arm and the control need before the report names a winner. */
  @WithDefault("100")
  int minArmRecipients();

  Dispatch dispatch();

  Triggers triggers();

  Recurring recurring();

  Products products();

  /** Choosing the products of {@code new_product} messages (docs/CAMPAIGNS.md, "New-product offer"). */
  interface Products {
    /** How often pending messages get their products (a Quarkus duration, or {@code off}); read by @Scheduled. */
    @WithDefault("1s")
    String every();

    /** Messages per transaction (one scoring-service call per campaign in it). */
    @WithDefault("500")
    int batchSize();

    /** After this long without an answer from scoring-service, messages name the products in the offer's order. */
    @WithDefault("10m")
    Duration fallbackAfter();
  }

  interface Recurring {
    /** How often due runs of recurring campaigns are started (a Quarkus duration, or {@code off}); read by @Scheduled. */
    @WithDefault("30s")
    String every();
  }

  interface Triggers {
    /** How often every enabled trigger is evaluated (a Quarkus duration, or {@code off}); read by @Scheduled. */
    @WithDefault("30s")
    String every();
  }

  interface Dispatch {
    /** How often the dispatcher runs (a Quarkus duration, or {@code off}); read by {@code @Scheduled}. */
    @WithDefault("1s")
    String every();

    /** Messages claimed per transaction. */
    @WithDefault("1000")
    int batchSize();

    /** Messages per second per channel: one run sends at most this many per channel. */
    @WithDefault("1000")
    int smsRate();

    @WithDefault("200")
    int emailRate();

    @WithDefault("5000")
    int appRate();

    /** Batches of one channel claimed concurrently within a run (each its own transaction). */
    @WithDefault("4")
    int parallel();

    /** Delivery attempts of a message before a transient failure (5xx, timeout) counts as failed. */
    @WithDefault("5")
    int maxAttempts();

    /** A transiently failed message is queued again after attempts × this. */
    @WithDefault("PT1M")
    Duration retryBackoff();
  }

  Channel channel();

  /** Which adapter delivers each channel ({@code app} always goes to the local sink). */
  interface Channel {
    Email email();

    Sms sms();

    interface Email {
      /** {@code local} (the sink) or {@code smtp} (Quarkus Mailer, quarkus.mailer.* config). */
      @WithDefault("local")
      String adapter();

      /** Right-hand side of the Message-ID header, {@code <crm-<message id>@domain>}. */
      @WithDefault("shop-crm.local")
      String messageIdDomain();

      /** Mails of one batch in flight at once. */
      @WithDefault("8")
      int concurrency();
    }

    interface Sms {
      /** {@code local} (the sink) or {@code http} (an HTTP SMS gateway). */
      @WithDefault("local")
      String adapter();

      Http http();
    }

    /** The HTTP SMS gateway: one request per message; success = any 2xx answer. */
    interface Http {
      Optional<URI> url();

      @WithDefault("POST")
      String method();

      /** Extra request headers, e.g. {@code crm.campaign.channel.sms.http.headers.X-Api-Key=...}. */
      Map<String, String> headers();

      /** Body with {phone}, {text} and {message_id} replaced (JSON-escaped when the content type is JSON). */
      @WithDefault("{\"phone\": \"{phone}\", \"text\": \"{text}\", \"message_id\": \"{message_id}\"}")
      String bodyTemplate();

      @WithDefault("application/json")
      String contentType();

      @WithDefault("PT5S")
      Duration timeout();

      /** Requests of one batch in flight at once. */
      @WithDefault("16")
      int concurrency();
    }
  }

  ServiceToken serviceToken();

  /** Internal tokens this service signs for its calls to customer-service (contact look-ups). */
  interface ServiceToken {
    /** The platform's internal private key (PEM); none: external adapters cannot look contacts up. */
    Optional<String> privateKeyLocation();

    @WithDefault("service:campaign-service")
    String subject();
  }

  default int rate(String channel) {
    return switch (channel) {
      case "sms" -> dispatch().smsRate();
      case "email" -> dispatch().emailRate();
      default -> dispatch().appRate();
    };
  }
}
