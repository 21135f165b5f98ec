package com.shopcrm.campaign.channel;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The outside world of the external adapters, started for {@link ExternalChannelsTest}: a real SMTP
 * server (GreenMail), a small SMS gateway (JDK HttpServer) that records every request and answers
 * a settable status, and customer-service's contact look-up (the same server) that records its calls
 * and knows customers 1, 2 and 4 (customer 3 has neither phone nor e-mail; 4 opted out of SMS).
 */
public class ExternalChannelStubs implements QuarkusTestResourceLifecycleManager {

  /** What the stubs saw and how they answer; injected into the test. */
  public static final class Recorder {
    public final GreenMail smtp;
    public final List<Request> sms = new CopyOnWriteArrayList<>();
    public final List<Request> contactCalls = new CopyOnWriteArrayList<>();
    public final AtomicInteger smsStatus = new AtomicInteger(200);
    public final AtomicInteger contactsStatus = new AtomicInteger(200);

    Recorder(GreenMail smtp) {
      this.smtp = smtp;
    }
  }

  /** One request a stub received. */
  public record Request(String method, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  private static final Pattern ID = Pattern.compile("\\d+");

  private GreenMail smtp;
  private HttpServer http;
  private Recorder recorder;

  @Override
  public Map<String, String> start() {
    int smtpPort = freePort();
    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    recorder = new Recorder(smtp);
    try {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    http.createContext("/sms", exchange -> {
      recorder.sms.add(read(exchange));
      answer(exchange, recorder.smsStatus.get(), "{\"ok\": true}");
    });
    http.createContext("/api/v1/customers/contacts", exchange -> {
      Request request = read(exchange);
      recorder.contactCalls.add(request);
      if (recorder.contactsStatus.get() != 200 || request.header("Authorization") == null
          || !request.header("Authorization").startsWith("Bearer ")) {
        answer(exchange, recorder.contactsStatus.get() != 200 ? recorder.contactsStatus.get() : 401, "{}");
        return;
      }
      Matcher ids = ID.matcher(request.body());
      StringBuilder items = new StringBuilder();
      while (ids.find()) {
        long id = Long.parseLong(ids.group());
        if (id == 1 || id == 2 || id == 4) {
          items.append(items.length() == 0 ? "" : ",").append("{\"customer_id\": ").append(id)
              .append(", \"name\": \"C").append(id).append("\", \"phone\": \"1380000000").append(id)
              .append("\", \"email\": \"c").append(id).append("@example.com\", \"consent_sms\": ")
              .append(id != 4).append(", \"consent_email\": true, \"consent_app\": true}");
        }
      }
      answer(exchange, 200, "{\"items\": [" + items + "]}");
    });
    http.start();
    String base = "http://127.0.0.1:" + http.getAddress().getPort();
    return Map.ofEntries(
        Map.entry("crm.campaign.channel.email.adapter", "smtp"),
        Map.entry("crm.campaign.channel.sms.adapter", "http"),
        Map.entry("quarkus.mailer.host", "127.0.0.1"),
        Map.entry("quarkus.mailer.port", String.valueOf(smtpPort)),
        Map.entry("quarkus.mailer.from", "shop@example.com"),
        Map.entry("quarkus.mailer.mock", "false"),
        Map.entry("crm.campaign.channel.sms.http.url", base + "/sms"),
        Map.entry("crm.campaign.channel.sms.http.headers.X-Api-Key", "secret-key"),
        Map.entry("crm.campaign.dispatch.max-attempts", "2"),
        Map.entry("quarkus.rest-client.customer-service.url", base));
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(recorder, new TestInjector.MatchesType(Recorder.class));
  }

  @Override
  public void stop() {
    if (http != null) {
      http.stop(0);
    }
    if (smtp != null) {
      smtp.stop();
    }
  }

  private static Request read(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, List<String>> headers = exchange.getRequestHeaders().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    return new Request(exchange.getRequestMethod(), headers, body);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
