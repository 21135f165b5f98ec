package com.shopcrm.launcher.datagen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a generated shop as the files the import APIs take, into one directory:
 * <ul>
 *   <li>{@code orders.csv} — the generic order CSV (ARCHITECTURE §4, every column, one row per line item) for
 *       {@code POST /api/v1/orders/imports?format=generic};</li>
 *   <li>{@code customers.ndjson} — one {@code CustomerInput} per line, for {@code POST /api/v1/customers/batch}
 *       (1000 per call);</li>
 *   <li>{@code events.ndjson} — one event per line naming its customer by {@code external_id}, for
 *       {@code POST /api/v1/customers/events/batch};</li>
 *   <li>{@code consent.ndjson} — {@code {external_id, channel, granted: false}} per opt-out, for
 *       {@code PUT /api/v1/customers/{id}/consent};</li>
 *   <li>{@code catalogue.csv} — sku, product_name, category, price, rank.</li>
 * </ul>
 */
public final class ShopFiles {

  /** The generic order CSV's columns, in the order ARCHITECTURE §4 lists them. */
  public static final List<String> ORDER_COLUMNS = List.of("order_no", "customer_external_id", "ordered_at",
      "total_amount", "status", "customer_name", "phone", "email", "province", "city", "sku", "product_name",
      "category", "quantity", "unit_price", "coupon_code", "channel", "refund_amount");

  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What was written. */
  public record Summary(int customers, long orders, long orderRows, long events, long optOuts, long repeatPurchases,
      double revenue) {

    public double meanOrdersPerCustomer() {
      return customers == 0 ? 0 : (double) orders / customers;
    }
  }

  private ShopFiles() {
  }

  /** Generates the shop described by {@code params} into {@code dir} (created if missing). */
  public static Summary write(ShopParameters params, Path dir) throws IOException {
    Files.createDirectories(dir);
    ShopGenerator generator = new ShopGenerator(params);
    long[] counts = new long[5];
    double[] revenue = new double[1];
    try (Writer orders = writer(dir.resolve("orders.csv"));
         Writer customers = writer(dir.resolve("customers.ndjson"));
         Writer events = writer(dir.resolve("events.ndjson"));
         Writer consent = writer(dir.resolve("consent.ndjson"))) {
      orders.write(String.join(",", ORDER_COLUMNS) + "\n");
      generator.generate(c -> {
        try {
          customers.write(json(customerInput(c)) + "\n");
          for (ShopCustomer.Order o : c.orders()) {
            counts[0]++;
            revenue[0] += o.total().doubleValue();
            for (ShopCustomer.Item item : o.items()) {
              orders.write(csvRow(c, o, item));
              counts[1]++;
            }
          }
          for (ShopCustomer.Event e : c.events()) {
            events.write(json(eventInput(c, e)) + "\n");
            counts[2]++;
          }
          for (String channel : c.optOuts()) {
            consent.write(json(Map.of("external_id", c.externalId(), "channel", channel, "granted", false)) + "\n");
            counts[3]++;
          }
          counts[4] += c.repeatPurchases();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    try (Writer catalogue = writer(dir.resolve("catalogue.csv"))) {
      catalogue.write("sku,product_name,category,price,rank\n");
      for (Product p : generator.catalogue()) {
        catalogue.write(String.join(",", p.sku(), p.name(), p.category(), p.price().toPlainString(),
            String.valueOf(p.rank())) + "\n");
      }
    }
    return new Summary(params.customers(), counts[0], counts[1], counts[2], counts[3], counts[4], revenue[0]);
  }

  /** The customer as {@code POST /customers/batch} takes it (platform own_site, as the generic CSV's buyers). */
  public static Map<String, Object> customerInput(ShopCustomer c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("external_id", c.externalId());
    m.put("name", c.name());
    m.put("phone", c.phone());
    if (c.email() != null) {
      m.put("email", c.email());
    }
    if (c.gender() != null) {
      m.put("gender", c.gender());
    }
    if (c.birthday() != null) {
      m.put("birthday", c.birthday().toString());
    }
    m.put("province", c.province());
    m.put("city", c.city());
    if (!c.tags().isEmpty()) {
      m.put("tags", c.tags());
    }
    m.put("attributes", Map.of("channel", c.channel()));
    return m;
  }

  /** The event as {@code POST /customers/events/batch} takes it, naming the customer by external id. */
  public static Map<String, Object> eventInput(ShopCustomer c, ShopCustomer.Event e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("external_id", c.externalId());
    m.put("type", e.type());
    m.put("occurred_at", ISO.format(e.occurredAt()));
    m.put("properties", e.properties());
    return m;
  }

  /** One line item of the generic order CSV, ending in a newline. */
  public static String csvRow(ShopCustomer c, ShopCustomer.Order o, ShopCustomer.Item item) {
    String[] values = {o.orderNo(), c.externalId(), ISO.format(o.orderedAt()), o.total().toPlainString(),
        o.status(), c.name(), c.phone(), c.email(), c.province(), c.city(), item.product().sku(),
        item.product().name(), item.product().category(), String.valueOf(item.quantity()),
        item.unitPrice().toPlainString(), o.couponCode(), o.channel(),
        o.refund() == null ? null : o.refund().toPlainString()};
    StringBuilder line = new StringBuilder(200);
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(csv(values[i]));
    }
    return line.append('\n').toString();
  }

  private static String csv(String value) {
    if (value == null) {
      return "";
    }
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BufferedWriter writer(Path file) throws IOException {
    return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }
}
