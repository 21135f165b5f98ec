package com.shopcrm.order.repository;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.shopcrm.order.service.imports.ImportRow;
import com.shopcrm.order.service.imports.OrderChunk.ImportedOrder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a chunk of imported orders set-based: ONE statement inserts the orders, their line items
 * and their {@code order.created} outbox events. Orders are passed as column arrays and expanded
 * with {@code unnest}; {@code ON CONFLICT (tenant_id, order_no) DO NOTHING} skips numbers the
 * tenant already has (a re-import writes nothing twice) and {@code RETURNING} tells which are new,
 * so items and events are written for those only.
 *
 * <p>The event payload is the inserted row as {@code to_jsonb(ins)} (the RETURNING list is exactly
 * its keys; cheaper than {@code jsonb_build_object} of the same columns) plus the line items, whose
 * JSON the service builds per order ({@code $29}) rather than aggregating them here.
 *
 * <p>Why the reactive pool with {@code unnest} rather than JDBC {@code CopyManager} into a staging
 * table: measured (bench/order-import), the time of a chunk is the server's work for the rows
 * (six indexes on orders, the item foreign key checks, the event payloads), not the transfer of
 * the parameters; COPY would add a staging table and the same {@code INSERT … SELECT … ON
 * CONFLICT} from it on a blocking connection outside the reactive pool, for no measurable gain.
 */
@ApplicationScoped
public class ImportedOrderRepository {

  /** The buyer resolved for an order: customer id, or pending (customer-service down), or its refusal. */
  public record BuyerOutcome(Long customerId, boolean pending, String error) {
    public static final BuyerOutcome NONE = new BuyerOutcome(null, false, null);
  }

  private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();

  private static final String SQL = """
      WITH o AS (
        SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::int8[], $6::bool[], $7::text[], $8::text[],
                             $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[],
                             $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::bool[],
                             $29::text[])
          AS t(order_no, customer_external_id, customer_platform, customer_id, customer_pending, customer_error,
               customer_name, customer_phone, customer_email, province, city, ordered_at, paid_at, total_amount,
               refunded_amount, status, coupon_code, channel, anonymous, items_json)
      ), ins AS (
        INSERT INTO orders (tenant_id, order_no, customer_external_id, customer_platform, customer_id,
            customer_pending, customer_error, customer_name, customer_phone, customer_email, province, city,
            ordered_at, paid_at, total_amount, refunded_amount, status, coupon_code, channel, anonymous,
            created_at, updated_at)
        SELECT $1, order_no, customer_external_id, customer_platform, customer_id, customer_pending, customer_error,
               customer_name, customer_phone, customer_email, province, city, ordered_at, paid_at,
               total_amount::numeric, refunded_amount::numeric, status, coupon_code, channel, anonymous, $21, $21
          FROM o
        ON CONFLICT (tenant_id, order_no) DO NOTHING
        RETURNING id, order_no, customer_external_id, customer_platform, customer_id, customer_pending, customer_name,
                  province, city, ordered_at, paid_at, total_amount, discount_amount, shipping_fee, refunded_amount,
                  status, coupon_code, channel, anonymous, created_at, updated_at
      ), it AS (
        SELECT * FROM unnest($22::text[], $23::int[], $24::text[], $25::text[], $26::text[], $27::int[], $28::text[])
          AS t(order_no, line_no, sku, product_name, category, quantity, unit_price)
      ), items AS (
        INSERT INTO order_item (tenant_id, order_id, line_no, sku, product_name, category, quantity, unit_price)
        SELECT $1, ins.id, it.line_no, it.sku, it.product_name, it.category, it.quantity, it.unit_price::numeric
          FROM it JOIN ins ON ins.order_no = it.order_no
      ), ev AS (
        INSERT INTO order_event (tenant_id, event_id, type, order_id, order_no, customer_id, customer_external_id,
            occurred_at, payload)
        SELECT $1, gen_random_uuid(), 'order.created', ins.id, ins.order_no, ins.customer_id,
               ins.customer_external_id, $21,
               jsonb_strip_nulls(to_jsonb(ins))
                 || jsonb_build_object('items', o.items_json::jsonb)
          FROM ins JOIN o ON o.order_no = ins.order_no
         ORDER BY ins.id
      )
      SELECT order_no FROM ins""";

  /** Stores the orders whose number the tenant does not have yet; the numbers it stored. */
  public Uni<Set<String>> insertNew(SqlClient tx, String tenantId, List<ImportedOrder> orders,
      List<BuyerOutcome> buyers, OffsetDateTime now) {
    if (orders.isEmpty()) {
      return Uni.createFrom().item(Set.of());
    }
    int n = orders.size();
    String[] orderNo = new String[n];
    String[] externalId = new String[n];
    String[] platform = new String[n];
    Long[] customerId = new Long[n];
    Boolean[] pending = new Boolean[n];
    String[] customerError = new String[n];
    String[] name = new String[n];
    String[] phone = new String[n];
    String[] email = new String[n];
    String[] province = new String[n];
    String[] city = new String[n];
    OffsetDateTime[] orderedAt = new OffsetDateTime[n];
    OffsetDateTime[] paidAt = new OffsetDateTime[n];
    String[] total = new String[n];
    String[] refunded = new String[n];
    String[] status = new String[n];
    String[] coupon = new String[n];
    String[] channel = new String[n];
    Boolean[] anonymous = new Boolean[n];
    String[] itemsJson = new String[n];
    StringBuilder json = new StringBuilder(256);
    List<String> itemOrderNo = new ArrayList<>();
    List<Integer> lineNo = new ArrayList<>();
    List<String> sku = new ArrayList<>();
    List<String> productName = new ArrayList<>();
    List<String> category = new ArrayList<>();
    List<Integer> quantity = new ArrayList<>();
    List<String> unitPrice = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ImportedOrder order = orders.get(i);
      ImportRow h = order.head();
      BuyerOutcome b = buyers.get(i);
      orderNo[i] = h.orderNo();
      externalId[i] = h.customerExternalId();
      platform[i] = h.platform();
      customerId[i] = b.customerId();
      pending[i] = b.pending();
      customerError[i] = b.error();
      name[i] = h.customerName();
      phone[i] = h.phone();
      email[i] = h.email();
      province[i] = h.province();
      city[i] = h.city();
      orderedAt[i] = h.orderedAt();
      paidAt[i] = h.paidAt();
      total[i] = h.totalAmount().toPlainString();
      refunded[i] = h.refundAmount() == null ? "0" : h.refundAmount().toPlainString();
      status[i] = order.status();
      coupon[i] = h.couponCode();
      channel[i] = h.channel();
      anonymous[i] = h.anonymous();
      int line = 0;
      json.setLength(0);
      json.append('[');
      for (ImportRow.Item item : order.items()) {
        String price = item.unitPrice().toPlainString();
        itemOrderNo.add(h.orderNo());
        lineNo.add(++line);
        sku.add(item.sku());
        productName.add(item.productName());
        category.add(item.category());
        quantity.add(item.quantity());
        unitPrice.add(price);
        itemJson(json, line, item, price);
      }
      itemsJson[i] = json.append(']').toString();
    }
    return tx.preparedQuery(SQL)
        .execute(Tuple.from(Arrays.asList(tenantId, orderNo, externalId, platform, customerId, pending, customerError,
            name, phone, email, province, city, orderedAt, paidAt, total, refunded, status, coupon, channel, anonymous,
            now, itemOrderNo.toArray(String[]::new), lineNo.toArray(Integer[]::new), sku.toArray(String[]::new),
            productName.toArray(String[]::new), category.toArray(String[]::new), quantity.toArray(Integer[]::new),
            unitPrice.toArray(String[]::new), itemsJson)))
        .map(rows -> {
          Set<String> stored = new HashSet<>();
          rows.forEach(r -> stored.add(r.getString("order_no")));
          return stored;
        });
  }

  /**
   * One line item of the event payload, as {@code jsonb_strip_nulls(jsonb_build_object(...))}
   * would give it (absent fields left out); built here rather than aggregated per order in SQL.
   */
  private static void itemJson(StringBuilder json, int line, ImportRow.Item item, String price) {
    if (line > 1) {
      json.append(',');
    }
    json.append("{\"line_no\":").append(line);
    string(json, "sku", item.sku());
    string(json, "product_name", item.productName());
    string(json, "category", item.category());
    json.append(",\"quantity\":").append(item.quantity()).append(",\"unit_price\":").append(price).append('}');
  }

  private static void string(StringBuilder json, String name, String value) {
    if (value != null) {
      json.append(",\"").append(name).append("\":\"");
      JSON_STRINGS.quoteAsString(value, json);
      json.append('"');
    }
  }
}
