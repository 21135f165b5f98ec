package com.shopcrm.campaign.channel;

/** A rendered message the dispatcher claimed, handed to a {@link ChannelAdapter}. */
public record OutboundMessage(String tenantId, long id, long campaignId, long customerId, String arm, String channel,
    String subject, String body, String couponCode) {
}
