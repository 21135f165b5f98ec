package com.shopcrm.campaign.channel;

import com.shopcrm.campaign.config.CampaignConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The adapter of each channel, from configuration: {@code crm.campaign.channel.email.adapter}
 * {@code local|smtp}, {@code crm.campaign.channel.sms.adapter} {@code local|http}; {@code app}
 * always the local sink. An unknown value stops the start with a clear message.
 */
@Startup
@ApplicationScoped
public class ChannelRouter {

  private final LocalSinkAdapter local;
  private final ChannelAdapter email;
  private final ChannelAdapter sms;

  ChannelRouter(CampaignConfig config, LocalSinkAdapter local, SmtpEmailAdapter smtp, HttpSmsAdapter http) {
    this.local = local;
    this.email = switch (config.channel().email().adapter()) {
      case "local" -> local;
      case "smtp" -> smtp;
      default -> throw new IllegalStateException("crm.campaign.channel.email.adapter must be local or smtp, not "
          + config.channel().email().adapter());
    };
    this.sms = switch (config.channel().sms().adapter()) {
      case "local" -> local;
      case "http" -> http;
      default -> throw new IllegalStateException("crm.campaign.channel.sms.adapter must be local or http, not "
          + config.channel().sms().adapter());
    };
  }

  public ChannelAdapter adapter(String channel) {
    return switch (channel) {
      case "email" -> email;
      case "sms" -> sms;
      default -> local;
    };
  }

  public LocalSinkAdapter local() {
    return local;
  }
}
