package com.shopcrm.campaign.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shopcrm.campaign.config.CampaignConfig.Channel.Http;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SMS gateway request body (escaped per content type) and how answers are classified. */
class HttpSmsAdapterTest {

  static final OutboundMessage MESSAGE = new OutboundMessage("shop", 42, 7L, null, 1, "a", "sms", null,
      "Hi \"Ann\" & co\n回T退订", null, 0);

  @Test
  void fillsTheTemplateEscapedForJson() {
    assertEquals("{\"phone\": \"13800000001\", \"text\": \"Hi \\\"Ann\\\" & co\\n回T退订\", \"message_id\": \"42\"}",
        HttpSmsAdapter.body(http("application/json",
            "{\"phone\": \"{phone}\", \"text\": \"{text}\", \"message_id\": \"{message_id}\"}"), "13800000001",
            MESSAGE));
  }

  @Test
  void fillsTheTemplateUrlEncodedForForms() {
    assertEquals("to=%2B8613800000001&msg=Hi+%22Ann%22+%26+co%0A%E5%9B%9ET%E9%80%80%E8%AE%A2&ref=42",
        HttpSmsAdapter.body(http("application/x-www-form-urlencoded", "to={phone}&msg={text}&ref={message_id}"),
            "+8613800000001", MESSAGE));
  }

  @Test
  void twoHundredsAreSentServerErrorsRetriedOtherAnswersFailed() {
    assertNull(HttpSmsAdapter.outcome(200));
    assertNull(HttpSmsAdapter.outcome(204));
    assertTrue(HttpSmsAdapter.outcome(500).retryable());
    assertTrue(HttpSmsAdapter.outcome(503).retryable());
    assertTrue(HttpSmsAdapter.outcome(429).retryable());
    assertTrue(HttpSmsAdapter.outcome(408).retryable());
    assertFalse(HttpSmsAdapter.outcome(400).retryable());
    assertFalse(HttpSmsAdapter.outcome(401).retryable());
    assertEquals("sms gateway answered 404", HttpSmsAdapter.outcome(404).reason());
  }

  private static Http http(String contentType, String template) {
    return new Http() {
      @Override
      public Optional<URI> url() {
        return Optional.empty();
      }

      @Override
      public String method() {
        return "POST";
      }

      @Override
      public Map<String, String> headers() {
        return Map.of();
      }

      @Override
      public String bodyTemplate() {
        return template;
      }

      @Override
      public String contentType() {
        return contentType;
      }

      @Override
      public Duration timeout() {
        return Duration.ofSeconds(5);
      }

      @Override
      public int concurrency() {
        return 1;
      }
    };
  }
}
