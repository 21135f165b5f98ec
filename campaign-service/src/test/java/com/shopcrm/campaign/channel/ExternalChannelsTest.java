package com.shopcrm.campaign.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.campaign.TestClock;
import com.shopcrm.campaign.service.CampaignDispatcher;
import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import com.shopcrm.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SMTP e-mail adapter against a real SMTP server and the HTTP SMS adapter against a recording
 * gateway, with contacts looked up in (a stub of) customer-service once per batch; gateway errors
 * retried with the same idempotency key, then failed; a failed look-up leaves the batch queued.
 */
@QuarkusTest
@TestProfile(ExternalChannelsProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class ExternalChannelsTest {

  ExternalChannelStubs.Recorder stubs;

  @Inject
  CampaignDispatcher dispatcher;

  @Inject
  TestClock clock;

  @BeforeEach
  void clean() throws Exception {
    stubs.sms.clear();
    stubs.contactCalls.clear();
    stubs.smsStatus.set(200);
    stubs.contactsStatus.set(200);
    stubs.smtp.purgeEmailFromAllMailboxes();
    clock.reset();
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void sendsMailOverSmtpAndSmsThroughTheGatewayWithOneContactLookUpPerBatch() throws Exception {
    String shop = InternalTokens.newTenant("shop-ext");
    Map<String, Long> ids = new TreeMap<>();
    for (long customer = 1; customer <= 4; customer++) {
      ids.put("email" + customer, queue(shop, customer, "email", "Hello C" + customer, "Dear C" + customer));
      ids.put("sms" + customer, queue(shop, customer, "sms", null, "C" + customer + ", 10 off \"now\" 回T退订"));
    }

    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));

    MimeMessage[] mails = stubs.smtp.getReceivedMessages();
    assertEquals(3, mails.length, "customers 1, 2 and 4 have an address");
    Map<String, MimeMessage> byTo = new TreeMap<>();
    for (MimeMessage mail : mails) {
      byTo.put(mail.getAllRecipients()[0].toString(), mail);
    }
    assertEquals(List.of("c1@example.com", "c2@example.com", "c4@example.com"), List.copyOf(byTo.keySet()));
    MimeMessage first = byTo.get("c1@example.com");
    assertEquals("Hello C1", first.getSubject());
    assertEquals("shop@example.com", first.getFrom()[0].toString());
    assertTrue(((String) first.getContent()).contains("Dear C1"), first.getContent().toString());
    assertEquals("<crm-" + ids.get("email1") + "@shop-crm.local>", first.getMessageID());
    assertEquals(String.valueOf(ids.get("email1")), first.getHeader("X-CRM-Message-Id")[0]);

    assertEquals(2, stubs.sms.size(), "customer 3 has no phone, 4 opted out of SMS");
    ExternalChannelStubs.Request sms = stubs.sms.stream().filter(r -> r.body().contains("13800000001")).findFirst()
        .orElseThrow();
    assertEquals("POST", sms.method());
    assertEquals("secret-key", sms.header("X-Api-Key"));
    assertEquals(String.valueOf(ids.get("sms1")), sms.header("Idempotency-Key"));
    assertEquals("{\"phone\": \"13800000001\", \"text\": \"C1, 10 off \\\"now\\\" 回T退订\", \"message_id\": \""
        + ids.get("sms1") + "\"}", sms.body());

    assertEquals(2, stubs.contactCalls.size(), "one look-up per batch (e-mail, sms), not per message");
    stubs.contactCalls.forEach(call -> assertEquals("{\"customer_ids\":[1,2,3,4]}", call.body().replace(" ", "")));

    assertEquals("sent", status(ids.get("email1")));
    assertEquals("sent", status(ids.get("sms2")));
    assertEquals("failed", status(ids.get("email3")));
    assertEquals("failed", status(ids.get("sms3")));
    assertEquals(1, count("SELECT count(*) FROM campaign_message WHERE id = ? AND error = 'no phone number'",
        ids.get("sms3")));
    assertEquals(1, count("SELECT count(*) FROM campaign_message WHERE id = ? AND status = 'failed'"
        + " AND error = 'opted out of sms'", ids.get("sms4")));
    assertEquals("sent", status(ids.get("email4")));
    assertEquals(0, count("SELECT count(*) FROM sink_message WHERE tenant_id = ?", shop), "not the local sink");
  }

  @Test
  void gatewayErrorsAreRetriedWithTheSameIdempotencyKeyThenFailed() throws Exception {
    String shop = InternalTokens.newTenant("shop-ext");
    stubs.smsStatus.set(500);
    long retried = queue(shop, 1, "sms", null, "hi");
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals("queued", status(retried));
    assertEquals(1, count("SELECT count(*) FROM campaign_message WHERE id = ? AND attempts = 1"
        + " AND error = 'sms gateway answered 500' AND scheduled_at > now() + interval '50 seconds'", retried));

    stubs.smsStatus.set(200);
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals(1, stubs.sms.size(), "not due again before the back-off");
    clock.setTo(Instant.now().plusSeconds(61));
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals("sent", status(retried));
    assertEquals(2, stubs.sms.size());
    assertEquals(List.of(String.valueOf(retried), String.valueOf(retried)),
        stubs.sms.stream().map(r -> r.header("Idempotency-Key")).toList(), "the same key on the retry");

    clock.reset();
    stubs.smsStatus.set(503);
    long given = queue(shop, 2, "sms", null, "hi");
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    clock.setTo(Instant.now().plusSeconds(180));
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals("failed", status(given), "max-attempts 2 in this profile");
    assertEquals(1, count("SELECT count(*) FROM campaign_message WHERE id = ? AND attempts = 2", given));

    clock.reset();
    stubs.smsStatus.set(400);
    long refused = queue(shop, 1, "sms", null, "hi");
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals("failed", status(refused), "a 4xx is not retried");
    assertEquals(1, count("SELECT count(*) FROM campaign_message WHERE id = ? AND attempts = 1", refused));
  }

  @Test
  void aFailedContactLookUpLeavesTheBatchQueuedAndSendsNothing() throws Exception {
    String shop = InternalTokens.newTenant("shop-ext");
    stubs.contactsStatus.set(503);
    long id = queue(shop, 1, "sms", null, "hi");
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals("queued", status(id));
    assertEquals(1, count("SELECT count(*) FROM campaign_message WHERE id = ? AND attempts = 0", id));
    assertEquals(0, stubs.sms.size());

    stubs.contactsStatus.set(200);
    dispatcher.dispatch().await().atMost(Duration.ofSeconds(30));
    assertEquals("sent", status(id));
    assertEquals(1, stubs.sms.size());
  }

  private static long queue(String shop, long customer, String channel, String subject, String body)
      throws SQLException {
    try (Connection c = TestDatabase.get().connect("crm_campaign_test");
         PreparedStatement s = c.prepareStatement("INSERT INTO campaign_message (tenant_id, campaign_id, customer_id,"
             + " arm, channel, subject, body, scheduled_at)"
             + " VALUES (?, 777, ?, 'a', ?, ?, ?, now() - interval '1 second') RETURNING id")) {
      s.setString(1, shop);
      s.setLong(2, customer);
      s.setString(3, channel);
      s.setString(4, subject);
      s.setString(5, body);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String status(long id) throws SQLException {
    try (Connection c = TestDatabase.get().connect("crm_campaign_test");
         PreparedStatement s = c.prepareStatement("SELECT status FROM campaign_message WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static long count(String sql, Object... args) throws SQLException {
    try (Connection c = TestDatabase.get().connect("crm_campaign_test");
         PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
