package com.shopcrm.campaign.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

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
  }

  default int rate(String channel) {
    return switch (channel) {
      case "sms" -> dispatch().smsRate();
      case "email" -> dispatch().emailRate();
      default -> dispatch().appRate();
    };
  }
}
