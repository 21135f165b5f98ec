package com.shopcrm.campaign.rest;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * scoring-service's {@code POST /api/v1/recommendations/picks} for {@link NewProductOfferTest}: records
 * every call (body, Authorization) and answers a settable status; customers with an even id get the
 * products reversed, odd ones in the given order.
 */
public class ScoringStub implements QuarkusTestResourceLifecycleManager {

  /** What the stub saw and how it answers; injected into the test. */
  public static final class Calls {
    public final List<String> bodies = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    public final AtomicInteger status = new AtomicInteger(200);
  }

  private static final Pattern IDS = Pattern.compile("\"customer_ids\"\\s*:\\s*\\[([^\\]]*)]");
  private static final Pattern SKUS = Pattern.compile("\"sku\"\\s*:\\s*\"([^\"]+)\"");

  private HttpServer http;
  private final Calls calls = new Calls();

  @Override
  public Map<String, String> start() {
    try {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    http.createContext("/api/v1/recommendations/picks", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      calls.bodies.add(body);
      calls.authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      String answer = "{}";
      if (calls.status.get() == 200) {
        List<String> skus = new ArrayList<>();
        Matcher sku = SKUS.matcher(body);
        while (sku.find()) {
          skus.add(sku.group(1));
        }
        Matcher ids = IDS.matcher(body);
        StringBuilder items = new StringBuilder();
        if (ids.find()) {
          for (String id : ids.group(1).split(",")) {
            long customer = Long.parseLong(id.trim());
            List<String> order = new ArrayList<>(skus);
            if (customer % 2 == 0) {
              Collections.reverse(order);
            }
            StringBuilder products = new StringBuilder();
            for (String s : order) {
              products.append(products.length() == 0 ? "" : ",").append("{\"sku\": \"").append(s).append("\"}");
            }
            items.append(items.length() == 0 ? "" : ",").append("{\"customer_id\": ").append(customer)
                .append(", \"products\": [").append(products).append("]}");
          }
        }
        answer = "{\"items\": [" + items + "]}";
      }
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(calls.status.get(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    http.start();
    return Map.of("quarkus.rest-client.scoring-service.url", "http://127.0.0.1:" + http.getAddress().getPort());
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(calls, new TestInjector.MatchesType(Calls.class));
  }

  @Override
  public void stop() {
    if (http != null) {
      http.stop(0);
    }
  }
}
