package com.shopcrm.campaign.channel;

/**
 * A rendered message the dispatcher claimed, handed to a {@link ChannelAdapter}: from a campaign
 * ({@code campaignId}) or a trigger ({@code triggerId}); {@code attempts} earlier delivery attempts.
 */
public record OutboundMessage(String tenantId, long id, Long campaignId, Long triggerId, long customerId, String arm,
    String channel, String subject, String body, String couponCode, int attempts) {
}
