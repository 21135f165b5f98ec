package com.shopcrm.campaign.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.testing.InternalTokens;
import com.shopcrm.testing.PostgresTestResource;
import com.shopcrm.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * 50,000 queued local-sink messages, two dispatchers running at once until the queue is empty:
 * every message is recorded exactly once and marked sent; the rate is logged (a rough figure on
 * the test machine, one batch = one statement, {@code parallel} batches at once).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class,
    initArgs = @ResourceArg(name = "database", value = "crm_campaign_test"))
class DispatchThroughputTest {

  private static final Logger LOG = Logger.getLogger(DispatchThroughputTest.class);
  static final int MESSAGES = 50_000;

  @Inject
  CampaignDispatcher dispatcher;

  @Test
  void twoConcurrentDispatchersDeliverFiftyThousandMessagesExactlyOnce() throws SQLException {
    String shop = InternalTokens.newTenant("shop-bulk");
    update("INSERT INTO campaign_message (tenant_id, campaign_id, customer_id, arm, channel, body, scheduled_at)"
        + " SELECT ?, 424242, g, 'a', 'app', 'hello ' || g, now() - interval '1 minute'"
        + " FROM generate_series(1, " + MESSAGES + ") g", shop);

    long started = System.nanoTime();
    long handed = 0;
    int rounds = 0;
    while (count("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND status = 'queued'", shop) > 0) {
      var both = Uni.combine().all().unis(dispatcher.dispatch(), dispatcher.dispatch()).asTuple()
          .await().atMost(Duration.ofSeconds(120));
      handed += both.getItem1() + both.getItem2();
      assertTrue(++rounds < 100, "the queue drains");
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.infof("local sink: %d messages in %.2f s with two concurrent dispatchers (%d rounds) = %.0f messages/s",
        MESSAGES, seconds, rounds, MESSAGES / seconds);

    assertEquals(MESSAGES, count("SELECT count(*) FROM sink_message WHERE tenant_id = ?", shop));
    assertEquals(MESSAGES, count("SELECT count(DISTINCT message_id) FROM sink_message WHERE tenant_id = ?", shop));
    assertEquals(MESSAGES, count("SELECT count(*) FROM campaign_message WHERE tenant_id = ? AND status = 'sent'",
        shop));
    assertEquals(0, count("SELECT count(*) FROM campaign_message m WHERE tenant_id = ? AND NOT EXISTS"
        + " (SELECT 1 FROM sink_message s WHERE s.tenant_id = m.tenant_id AND s.message_id = m.id)", shop));
    assertTrue(handed >= MESSAGES, "every message was handed over by one of the two");
  }

  private static void update(String sql, Object... args) throws SQLException {
    try (Connection c = TestDatabase.get().connect("crm_campaign_test");
         PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
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
