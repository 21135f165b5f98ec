package com.shopcrm.order.repository;

import com.shopcrm.order.model.OrderItemView;
import com.shopcrm.order.model.OrderView;
import com.shopcrm.order.service.imports.ImportRow;
import com.shopcrm.order.service.imports.OrderChunk.ImportedOrder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a chunk of imported orders set-based: ONE statement inserts the orders and their line
 * items. Orders are passed as column arrays and expanded with {@code unnest}; {@code ON CONFLICT
 * (tenant_id, order_no) DO NOTHING} skips numbers the tenant already has (a re-import writes nothing
 * twice) and {@code RETURNING} tells which are new, so items are written for those only. Their
 * {@code order.created} events are appended by the caller ({@link OrderEventRepository#appendAll})
 * in the same transaction, once the previous chunk has committed, so that two chunks' inserts can
 * run at once while their events still follow the file's order.
 *
 * <p>Why the reactive pool with {@code unnest} rather than JDBC {@code CopyManager} into a staging
 * table: measured (bench/order-import), the time of a chunk is the server's work for the rows (the
 * indexes of orders, the item and event rows), not the transfer of the parameters; COPY would add
 * a staging table and the same {@code INSERT … SELECT … ON CONFLICT} from it on a blocking
 * connection outside the reactive pool, for no measurable gain.
 */
@ApplicationScoped
public class ImportedOrderRepository {

  /** The buyer resolved for an order: customer id, or pending (customer-service down), or its refusal. */
  public record BuyerOutcome(Long customerId, boolean pending, String error) {
    public static final BuyerOutcome NONE = new BuyerOutcome(null, false, null);
  }

  private static final BigDecimal ZERO = new BigDecimal("0.00");

  private static final String SQL = """
      WITH o AS (
        SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::int8[], $6::bool[], $7::text[], $8::text[],
                             $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[],
                             $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::bool[])
          AS t(order_no, customer_external_id, customer_platform, customer_id, customer_pending, customer_error,
               customer_name, customer_phone, customer_email, province, city, ordered_at, paid_at, total_amount,
               refunded_amount, status, coupon_code, channel, anonymous)
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
        RETURNING id, order_no
      ), it AS (
        SELECT * FROM unnest($22::text[], $23::int[], $24::text[], $25::text[], $26::text[], $27::int[], $28::text[])
          AS t(order_no, line_no, sku, product_name, category, quantity, unit_price)
      ), items AS (
        INSERT INTO order_item (tenant_id, order_id, line_no, sku, product_name, category, quantity, unit_price)
        SELECT $1, ins.id, it.line_no, it.sku, it.product_name, it.category, it.quantity, it.unit_price::numeric
          FROM it JOIN ins ON ins.order_no = it.order_no
      )
      SELECT id, order_no FROM ins""";

  /** Stores the orders whose number the tenant does not have yet; the id of each number it stored. */
  public Uni<Map<String, Long>> insertNew(SqlClient tx, String tenantId, List<ImportedOrder> orders,
      List<BuyerOutcome> buyers, OffsetDateTime now) {
    if (orders.isEmpty()) {
      return Uni.createFrom().item(Map.of());
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
      for (ImportRow.Item item : order.items()) {
        itemOrderNo.add(h.orderNo());
        lineNo.add(++line);
        sku.add(item.sku());
        productName.add(item.productName());
        category.add(item.category());
        quantity.add(item.quantity());
        unitPrice.add(item.unitPrice().toPlainString());
      }
    }
    return tx.preparedQuery(SQL)
        .execute(Tuple.from(Arrays.asList(tenantId, orderNo, externalId, platform, customerId, pending, customerError,
            name, phone, email, province, city, orderedAt, paidAt, total, refunded, status, coupon, channel, anonymous,
            now, itemOrderNo.toArray(String[]::new), lineNo.toArray(Integer[]::new), sku.toArray(String[]::new),
            productName.toArray(String[]::new), category.toArray(String[]::new), quantity.toArray(Integer[]::new),
            unitPrice.toArray(String[]::new))))
        .map(rows -> {
          Map<String, Long> stored = new HashMap<>();
          rows.forEach(r -> stored.put(r.getString("order_no"), r.getLong("id")));
          return stored;
        });
  }

  /**
   * The stored orders as the API shows them (what their {@code order.created} events carry), in
   * the order of their ids: exactly the row {@link #insertNew} wrote, without reading it back.
   */
  public static List<OrderView> storedViews(List<ImportedOrder> orders, List<BuyerOutcome> buyers,
      Map<String, Long> stored, OffsetDateTime now) {
    List<OrderView> views = new ArrayList<>(stored.size());
    for (int i = 0; i < orders.size(); i++) {
      ImportedOrder order = orders.get(i);
      ImportRow h = order.head();
      Long id = stored.get(h.orderNo());
      if (id == null) {
        continue;
      }
      List<OrderItemView> items = new ArrayList<>(order.items().size());
      int line = 0;
      for (ImportRow.Item item : order.items()) {
        items.add(new OrderItemView(++line, item.sku(), item.productName(), item.category(), item.quantity(),
            money(item.unitPrice())));
      }
      BuyerOutcome b = buyers.get(i);
      views.add(new OrderView(id, h.orderNo(), h.customerExternalId(), h.platform(), b.customerId(), b.pending(),
          h.customerName(), h.phone(), h.email(), h.province(), h.city(), utc(h.orderedAt()), utc(h.paidAt()),
          money(h.totalAmount()), ZERO, ZERO, h.refundAmount() == null ? ZERO : money(h.refundAmount()),
          order.status(), h.couponCode(), h.channel(), items, null, null, now, now));
    }
    views.sort(Comparator.comparingLong(OrderView::id));
    return views;
  }

  /** As a timestamptz column gives it back (the session is UTC). */
  private static OffsetDateTime utc(OffsetDateTime at) {
    return at == null ? null : at.withOffsetSameInstant(ZoneOffset.UTC);
  }

  /** As numeric(14,2) gives it back. */
  private static BigDecimal money(BigDecimal amount) {
    return amount.setScale(2, RoundingMode.HALF_UP);
  }
}
