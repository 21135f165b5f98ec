package com.shopcrm.campaign.repository;

/**
 * The contact rules every message source applies, as SQL over a profile row ({@code audience_profile}
 * alias): consent per channel (flag {@code false} = not contactable; {@code null} = contactable, the
 * implied model), the frequency cap (messages of the shop queued or sent within the window, across
 * campaigns and triggers) and rendering ({@code {name}}, {@code {coupon}}, SMS opt-out suffix). The
 * same semantics as the campaign launch (docs/CAMPAIGNS.md, "Launch" steps 3 and 6).
 */
public final class ContactRules {

  /** Appended to every SMS: the opt-out instruction of the implied consent model. */
  public static final String SMS_OPT_OUT = " 回T退订";

  private ContactRules() {
  }

  /** True when none of the chosen channels ({@code channelsParam}, a text[]) is contactable. */
  public static String noChannelContactable(String profile, String channelsParam) {
    return ("NOT (('sms' = ANY(%2$s) AND %1$s.consent_sms IS NOT FALSE)"
        + " OR ('email' = ANY(%2$s) AND %1$s.consent_email IS NOT FALSE)"
        + " OR ('app' = ANY(%2$s) AND %1$s.consent_app IS NOT FALSE))").formatted(profile, channelsParam);
  }

  /** True when the profile may be contacted on {@code channel} (an SQL text expression). */
  public static String contactable(String profile, String channel) {
    return ("(CASE %2$s WHEN 'sms' THEN %1$s.consent_sms WHEN 'email' THEN %1$s.consent_email"
        + " ELSE %1$s.consent_app END) IS NOT FALSE").formatted(profile, channel);
  }

  /**
   * The customer's messages counting against the cap: queued or sent, scheduled after
   * {@code sinceParam} (now minus the window), of any campaign or trigger of the shop.
   */
  public static String recentMessages(String tenantParam, String customer, String sinceParam) {
    return ("SELECT count(*) FROM campaign_message m WHERE m.tenant_id = %s AND m.customer_id = %s"
        + " AND m.scheduled_at > %s AND m.status <> 'failed'").formatted(tenantParam, customer, sinceParam);
  }

  /** {@code template} with {@code {name}} and {@code {coupon}} replaced. */
  public static String render(String template, String profile, String coupon) {
    return "replace(replace(%s, '{name}', coalesce(%s.name, '')), '{coupon}', coalesce(%s, ''))"
        .formatted(template, profile, coupon);
  }

  /** The rendered body, SMS ending with the opt-out suffix. */
  public static String renderBody(String template, String channel, String profile, String coupon) {
    return render(template, profile, coupon) + " || CASE WHEN %s = 'sms' THEN '%s' ELSE '' END"
        .formatted(channel, SMS_OPT_OUT);
  }
}
