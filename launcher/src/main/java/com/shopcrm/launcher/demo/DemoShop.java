package com.shopcrm.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopcrm.launcher.PlatformException;
import com.shopcrm.launcher.datagen.ShopCustomer;
import com.shopcrm.launcher.datagen.ShopFiles;
import com.shopcrm.launcher.datagen.ShopGenerator;
import com.shopcrm.launcher.datagen.ShopParameters;
import com.shopcrm.launcher.importer.ImportClient;
import com.shopcrm.launcher.importer.ImportJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code ./crm up --demo}: the shop {@code demo} with a generated history, loaded through the gateway as a merchant
 * would — customers by batch (with their opt-outs), three years of orders by the generic CSV import, behaviour events
 * by batch — then a scoring run, three saved segments and one launched campaign with a control group, so the
 * console has something to show.
 *
 * <p>Safe to repeat: when the shop already has the demo campaign nothing is loaded again; an interrupted load is
 * finished by the next one (customer upserts, the import and every creating call are idempotent). The shop's admin
 * key is kept in the state directory ({@code demo-key}) and reused.
 */
public final class DemoShop {

  public static final String TENANT = "demo";
  public static final String CAMPAIGN = "演示：高价值客户回购 (demo)";
  static final ZoneId SHOP_ZONE = ZoneId.of("Asia/Shanghai");
  private static final int BATCH = 1000;

  private final GatewayJson admin;
  private final Path stateDir;
  private final PrintWriter out;
  private final Clock clock;
  private final Duration timeout;

  /** What {@link #load} did. */
  public record Result(String key, boolean loaded, int customers, long orders, long events, Long campaignId) {
  }

  public DemoShop(URI gateway, String adminKey, Path stateDir, PrintWriter out, Clock clock, Duration timeout) {
    this.admin = new GatewayJson(gateway, adminKey);
    this.stateDir = stateDir;
    this.out = out;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** How long each wait of a load may take: 5 minutes, more for shops above 30,000 customers (10 ms each). */
  public static Duration timeoutFor(int customers) {
    return Duration.ofMillis(Math.max(Duration.ofMinutes(5).toMillis(), customers * 10L));
  }

  /** Loads a shop of {@code customers} customers unless the demo shop already has its campaign. */
  public Result load(int customers) {
    ensureTenant();
    String key = shopKey();
    GatewayJson shop = admin.withKey(key);
    Long existing = campaignId(shop);
    if (existing != null) {
      say("The demo shop is already loaded (campaign " + existing + "); nothing to do.");
      return new Result(key, false, 0, 0, 0, existing);
    }
    LocalDate end = LocalDate.now(clock.withZone(SHOP_ZONE)).minusDays(1);
    ShopParameters params = ShopParameters.defaults(customers, end).withIdPrefix("demo-");
    ShopGenerator generator = new ShopGenerator(params);
    List<ShopCustomer> all = generator.all();
    String run = "crm-demo-" + end + "-";
    long orders = all.stream().mapToLong(c -> c.orders().size()).sum();
    say("Loading the demo shop: " + customers + " customers, " + orders + " orders over " + params.start() + " .. "
        + end + " (BG/NBD + Gamma-Gamma, seed " + params.seed() + ") ...");

    Map<String, Long> ids = upsertCustomers(shop, all, run);
    optOuts(shop, all, ids);
    importOrders(shop, all);
    long events = recordEvents(shop, all, run);
    resyncScoring(shop);
    long scored = scoringRun(shop);
    awaitAudience(shop, scored);
    Map<String, Long> segments = segments(shop, run);
    long campaign = campaign(shop, segments.get("high_value"), run);
    say("Demo shop loaded: " + customers + " customers, " + orders + " orders, " + events + " events, "
        + segments.size() + " segments, campaign " + campaign + " launched.");
    return new Result(key, true, customers, orders, events, campaign);
  }

  private void ensureTenant() {
    GatewayJson.Answer a = admin.call("POST", "admin/tenants", Map.of("id", TENANT, "name", "演示店 Demo shop"), null);
    if (a.status() != 201 && a.status() != 409) {
      throw new PlatformException("demo: creating the tenant answered " + a.status() + ": "
          + GatewayJson.abbreviate(a.raw()));
    }
  }

  /** The saved demo key when the gateway still takes it, else a new admin key for the shop (saved, 0600). */
  private String shopKey() {
    Path file = stateDir.resolve("demo-key");
    try {
      if (Files.isRegularFile(file)) {
        String saved = Files.readString(file).trim();
        if (!saved.isEmpty() && admin.withKey(saved).call("GET", "customers?limit=1", null, null).status() == 200) {
          return saved;
        }
      }
      JsonNode created = admin.ok("POST", "admin/api-keys",
          Map.of("tenant_id", TENANT, "roles", List.of("admin"), "name", "demo"), null);
      String key = created.path("key").asText();
      Files.createDirectories(stateDir);
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, key + "\n");
      return key;
    } catch (IOException e) {
      throw new PlatformException("demo: cannot keep the demo key in " + file + ": " + e.getMessage());
    }
  }

  private static Long campaignId(GatewayJson shop) {
    JsonNode page = shop.get("campaigns?limit=1000");
    for (JsonNode c : page.path("items")) {
      if (CAMPAIGN.equals(c.path("name").asText()) && !"draft".equals(c.path("status").asText())) {
        return c.path("id").asLong();
      }
    }
    return null;
  }

  private Map<String, Long> upsertCustomers(GatewayJson shop, List<ShopCustomer> all, String run) {
    Map<String, Long> ids = new HashMap<>();
    for (int from = 0; from < all.size(); from += BATCH) {
      List<Map<String, Object>> batch = new ArrayList<>();
      for (ShopCustomer c : all.subList(from, Math.min(all.size(), from + BATCH))) {
        batch.add(ShopFiles.customerInput(c));
      }
      JsonNode results = shop.ok("POST", "customers/batch", Map.of("customers", batch), run + "customers-" + from);
      for (JsonNode r : results.path("results")) {
        if ("error".equals(r.path("status").asText())) {
          throw new PlatformException("demo: customer " + r.path("external_id").asText() + " refused: "
              + r.path("error").asText());
        }
        ids.put(r.path("external_id").asText(), r.path("id").asLong());
      }
    }
    say("  customers: " + ids.size());
    return ids;
  }

  private void optOuts(GatewayJson shop, List<ShopCustomer> all, Map<String, Long> ids) {
    int n = 0;
    for (ShopCustomer c : all) {
      for (String channel : c.optOuts()) {
        Long id = ids.get(c.externalId());
        if (id == null) {
          throw new PlatformException("demo: no id came back for customer " + c.externalId());
        }
        shop.ok("PUT", "customers/" + id + "/consent",
            Map.of("channel", channel, "granted", false, "source", "demo: replied T to unsubscribe"), null);
        n++;
      }
    }
    say("  opt-outs: " + n);
  }

  private void importOrders(GatewayJson shop, List<ShopCustomer> all) {
    Path csv = null;
    try {
      csv = Files.createTempFile("crm-demo-orders", ".csv");
      try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
        w.write(String.join(",", ShopFiles.ORDER_COLUMNS) + "\n");
        for (ShopCustomer c : all) {
          for (ShopCustomer.Order o : c.orders()) {
            for (ShopCustomer.Item item : o.items()) {
              w.write(ShopFiles.csvRow(c, o, item));
            }
          }
        }
      }
      ImportClient client = new ImportClient(shop.base(), shop.key());
      ImportJob job = client.upload(csv, "generic", sent -> { });
      Instant deadline = clock.instant().plus(timeout);
      while (!job.finished()) {
        if (clock.instant().isAfter(deadline)) {
          throw new PlatformException("demo: the order import " + job.id() + " did not finish in " + timeout);
        }
        Thread.sleep(500);
        job = client.job(job.id());
      }
      if (!job.completed()) {
        throw new PlatformException("demo: the order import " + job.id() + " ended " + job.status());
      }
      say("  orders: import " + job.id() + " completed, " + job.rowsImported() + " rows imported, "
          + job.rowsDuplicate() + " already there, " + job.rowsRejected() + " rejected");
    } catch (IOException e) {
      throw new PlatformException("demo: the order import failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("demo: interrupted");
    } finally {
      if (csv != null) {
        try {
          Files.deleteIfExists(csv);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  private long recordEvents(GatewayJson shop, List<ShopCustomer> all, String run) {
    List<Map<String, Object>> events = new ArrayList<>();
    for (ShopCustomer c : all) {
      for (ShopCustomer.Event e : c.events()) {
        events.add(ShopFiles.eventInput(c, e));
      }
    }
    for (int from = 0; from < events.size(); from += BATCH) {
      JsonNode results = shop.ok("POST", "customers/events/batch",
          Map.of("events", events.subList(from, Math.min(events.size(), from + BATCH))), run + "events-" + from);
      for (JsonNode r : results.path("results")) {
        if ("error".equals(r.path("status").asText())) {
          throw new PlatformException("demo: event refused: " + r);
        }
      }
    }
    say("  events: " + events.size() + " (cart_abandon, review)");
    return events.size();
  }

  /**
   * Backfills scoring-service's purchase facts from order-service's event replay and waits for it: the outbox
   * delivers one event per call in the background, which takes minutes for a few thousand orders on a busy
   * machine; the resync pages the same events in bulk and is idempotent with the delivery.
   */
  private void resyncScoring(GatewayJson shop) {
    long id = shop.ok("POST", "scoring/resync", Map.of(), null).path("id").asLong();
    JsonNode[] last = new JsonNode[1];
    await("scoring resync " + id, () -> {
      last[0] = shop.get("scoring/resync/" + id);
      if ("failed".equals(last[0].path("status").asText())) {
        throw new PlatformException("demo: scoring resync " + id + " failed: " + last[0]);
      }
      return "completed".equals(last[0].path("status").asText());
    });
    say("  scoring facts: " + last[0].path("events_received").asLong() + " order events replayed");
  }

  /** Runs the models and waits; the number of customers scored. */
  private long scoringRun(GatewayJson shop) {
    JsonNode run = shop.ok("POST", "scoring/runs", Map.of(), null);
    long id = run.path("id").asLong();
    JsonNode[] last = new JsonNode[1];
    await("scoring run " + id, () -> {
      last[0] = shop.get("scoring/runs/" + id);
      String status = last[0].path("status").asText();
      if (status.equals("failed")) {
        throw new PlatformException("demo: scoring run " + id + " failed: " + last[0]);
      }
      return status.equals("completed");
    });
    JsonNode bgnbd = last[0].path("models").path("bgnbd");
    say("  scoring run " + id + ": " + last[0].path("customers_scored").asLong() + " customers scored; BG/NBD r="
        + round(bgnbd.path("r")) + " alpha=" + round(bgnbd.path("alpha")) + " a=" + round(bgnbd.path("a")) + " b="
        + round(bgnbd.path("b")));
    return last[0].path("customers_scored").asLong();
  }

  /** Waits until campaign-service's audience has the scored customers (both feeds are asynchronous). */
  private void awaitAudience(GatewayJson shop, long scored) {
    Map<String, Object> withScores = Map.of("rule", Map.of("field", "rfm_segment", "op", "exists", "value", true));
    await("the audience read model", () ->
        shop.ok("POST", "segments/preview?limit=1", withScores, null).path("count").asLong() >= scored);
  }

  private Map<String, Long> segments(GatewayJson shop, String run) {
    Map<String, Map<String, Object>> rules = new LinkedHashMap<>();
    rules.put("high_value", Map.of("name", "高价值客户 High value", "rule",
        Map.of("field", "rfm_segment", "op", "in", "value", List.of("important_value", "important_retention"))));
    rules.put("slipping", Map.of("name", "流失预警 Slipping away", "rule", Map.of("all", List.of(
        Map.of("field", "p_alive", "op", "lt", "value", 0.5),
        Map.of("field", "frequency", "op", "gte", "value", 1)))));
    rules.put("cart", Map.of("name", "加购未买 Abandoned a cart (90 days)", "rule",
        Map.of("field", "event.cart_abandon", "op", "within_last", "value", 90)));
    Map<String, Long> ids = new LinkedHashMap<>();
    rules.forEach((name, body) -> {
      long id = shop.ok("POST", "segments", body, run + "segment-" + name).path("id").asLong();
      long count = shop.get("segments/" + id + "/count").path("count").asLong();
      say("  segment " + id + " " + body.get("name") + ": " + count + " customers");
      ids.put(name, id);
    });
    return ids;
  }

  private long campaign(GatewayJson shop, long segmentId, String run) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", CAMPAIGN);
    body.put("goal", "repurchase");
    body.put("segment_id", segmentId);
    body.put("channels", List.of("sms"));
    body.put("variants", List.of(
        Map.of("name", "a", "weight", 1, "message", Map.of("sms", "{name}，感谢支持！专属10元券 {coupon}，满100可用。回T退订")),
        Map.of("name", "b", "weight", 1, "message", Map.of("sms", "{name}，老客回馈：下单立减10元，券码 {coupon}。回T退订"))));
    body.put("control_pct", 20);
    body.put("attribution_window_days", 30);
    body.put("offer", Map.of("type", "coupon", "amount", 10, "min_spend", 100));
    body.put("cost_per_message", Map.of("sms", 0.05));
    long id = shop.ok("POST", "campaigns", body, run + "campaign").path("id").asLong();
    JsonNode launch = shop.ok("POST", "campaigns/" + id + "/launch", null, run + "launch");
    say("  campaign " + id + ": " + launch.path("status").asText() + ", audience " + launch.path("audience").asText()
        + ", " + launch.path("messages_queued").asText() + " messages queued, 20% control");
    return id;
  }

  private void await(String what, BooleanSupplier done) {
    Instant deadline = clock.instant().plus(timeout);
    try {
      while (!done.getAsBoolean()) {
        if (clock.instant().isAfter(deadline)) {
          throw new PlatformException("demo: gave up waiting for " + what + " after " + timeout.toSeconds() + " s");
        }
        Thread.sleep(500);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("demo: interrupted");
    }
  }

  private static String round(JsonNode n) {
    return String.format("%.3f", n.asDouble());
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }
}
