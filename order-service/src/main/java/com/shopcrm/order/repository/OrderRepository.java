package com.shopcrm.order.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.order.model.OrderFilter;
import com.shopcrm.order.model.OrderItemInput;
import com.shopcrm.order.model.OrderItemView;
import com.shopcrm.order.model.OrderView;
import com.shopcrm.order.model.RefundView;
import com.shopcrm.order.model.ReviewView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Orders, their line items, refunds and reviews.
 *
 * <p>Plain SQL through the reactive {@code Pool} (as customer-service does) rather than Hibernate
 * Reactive: an order's writes (row, items, outbox event) must share one transaction with the
 * {@code Idempotency-Key} claim of {@code IdempotentWrites}, items go in with one {@code unnest}
 * statement, and the bulk import will reuse these set-based statements. Every method takes the
 * {@link SqlClient} to run on (the pool, or the caller's transaction) and the tenant, which is part
 * of every {@code WHERE}.
 */
@ApplicationScoped
public class OrderRepository {

  /** An order as stored, with the fingerprint of the request that created it. */
  public record Stored(OrderView view, String contentHash) {
  }

  /** A new order's columns (the caller resolved the buyer and computed the fingerprint). */
  public record NewOrder(String orderNo, String customerExternalId, String customerPlatform, Long customerId,
      boolean customerPending, String customerError, String customerName, String customerPhone, String customerEmail,
      String province, String city, OffsetDateTime orderedAt, OffsetDateTime paidAt, BigDecimal totalAmount,
      BigDecimal discountAmount, BigDecimal shippingFee, String status, String couponCode, String channel,
      String contentHash) {
  }

  /** A pending order's buyer, for the background resolution. */
  public record PendingBuyer(long orderId, String platform, String externalId, String name, String phone,
      String email, String province, String city) {
  }

  private static final String COLUMNS = """
      o.id, o.order_no, o.customer_external_id, o.customer_platform, o.customer_id, o.customer_pending,
      o.customer_name, o.customer_phone, o.customer_email, o.province, o.city, o.ordered_at, o.paid_at,
      o.total_amount, o.discount_amount, o.shipping_fee, o.refunded_amount, o.status, o.coupon_code, o.channel,
      o.created_at, o.updated_at, o.content_hash,
      (SELECT coalesce(json_agg(json_build_object('line_no', i.line_no, 'sku', i.sku, 'product_name', i.product_name,
                 'category', i.category, 'quantity', i.quantity, 'unit_price', i.unit_price) ORDER BY i.line_no), '[]')::text
         FROM order_item i WHERE i.tenant_id = o.tenant_id AND i.order_id = o.id) AS items""";

  private static final TypeReference<List<OrderItemView>> ITEMS = new TypeReference<>() {
  };

  private final ObjectMapper mapper;

  OrderRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public Uni<Stored> find(SqlClient client, String tenantId, long id) {
    return one(client, "SELECT " + COLUMNS + " FROM orders o WHERE o.tenant_id = $1 AND o.id = $2",
        Tuple.of(tenantId, id));
  }

  /** The order, its row locked for the caller's transaction (status changes, refunds, reviews). */
  public Uni<Stored> lock(SqlClient tx, String tenantId, long id) {
    return one(tx, "SELECT " + COLUMNS + " FROM orders o WHERE o.tenant_id = $1 AND o.id = $2 FOR UPDATE OF o",
        Tuple.of(tenantId, id));
  }

  public Uni<Stored> findByOrderNo(SqlClient client, String tenantId, String orderNo) {
    return one(client, "SELECT " + COLUMNS + " FROM orders o WHERE o.tenant_id = $1 AND o.order_no = $2",
        Tuple.of(tenantId, orderNo));
  }

  /** Which of the order numbers the tenant already has. */
  public Uni<List<String>> existingOrderNos(SqlClient client, String tenantId, String[] orderNos) {
    return client.preparedQuery("SELECT order_no FROM orders WHERE tenant_id = $1 AND order_no = ANY($2::text[])")
        .execute(Tuple.of(tenantId, orderNos))
        .map(rows -> {
          List<String> found = new ArrayList<>();
          rows.forEach(row -> found.add(row.getString("order_no")));
          return found;
        });
  }

  /** Inserts the order unless its number exists: the new id, or null when it was already there. */
  public Uni<Long> insert(SqlClient tx, String tenantId, NewOrder o, OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO orders (tenant_id, order_no, customer_external_id, customer_platform, customer_id,
                customer_pending, customer_error, customer_name, customer_phone, customer_email, province, city,
                ordered_at, paid_at, total_amount, discount_amount, shipping_fee, status, coupon_code, channel,
                content_hash, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                $22, $22)
            ON CONFLICT (tenant_id, order_no) DO NOTHING
            RETURNING id""")
        .execute(Tuple.from(Arrays.asList(tenantId, o.orderNo(), o.customerExternalId(), o.customerPlatform(),
            o.customerId(), o.customerPending(), o.customerError(), o.customerName(), o.customerPhone(),
            o.customerEmail(), o.province(), o.city(), o.orderedAt(), o.paidAt(), o.totalAmount(), o.discountAmount(),
            o.shippingFee(), o.status(), o.couponCode(), o.channel(), o.contentHash(), now)))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("id"));
  }

  /** All lines of a new order in one statement. */
  public Uni<Void> insertItems(SqlClient tx, String tenantId, long orderId, List<OrderItemInput> items) {
    if (items.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    int n = items.size();
    Integer[] lineNo = new Integer[n];
    String[] sku = new String[n];
    String[] name = new String[n];
    String[] category = new String[n];
    Integer[] quantity = new Integer[n];
    String[] price = new String[n];
    for (int i = 0; i < n; i++) {
      OrderItemInput item = items.get(i);
      lineNo[i] = i + 1;
      sku[i] = item.sku();
      name[i] = item.productName();
      category[i] = item.category();
      quantity[i] = item.quantity();
      price[i] = item.unitPrice().toPlainString();
    }
    return tx.preparedQuery("""
            INSERT INTO order_item (tenant_id, order_id, line_no, sku, product_name, category, quantity, unit_price)
            SELECT $1, $2, l, s, p, c, q, u::numeric
              FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[]) AS t(l, s, p, c, q, u)""")
        .execute(Tuple.from(Arrays.asList(tenantId, orderId, lineNo, sku, name, category, quantity, price)))
        .replaceWithVoid();
  }

  public Uni<Void> updateStatus(SqlClient tx, String tenantId, long id, String status, OffsetDateTime paidAt,
      OffsetDateTime now) {
    return tx.preparedQuery("""
            UPDATE orders SET status = $3, paid_at = coalesce(paid_at, $4), updated_at = $5
             WHERE tenant_id = $1 AND id = $2""")
        .execute(Tuple.from(Arrays.asList(tenantId, id, status, paidAt, now)))
        .replaceWithVoid();
  }

  public Uni<Void> updateRefunded(SqlClient tx, String tenantId, long id, BigDecimal refunded, String status,
      OffsetDateTime now) {
    return tx.preparedQuery("""
            UPDATE orders SET refunded_amount = $3, status = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2""")
        .execute(Tuple.from(Arrays.asList(tenantId, id, refunded, status, now)))
        .replaceWithVoid();
  }

  public Uni<RefundView> insertRefund(SqlClient tx, String tenantId, long orderId, String type, BigDecimal amount,
      String reason, String itemsJson, OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO order_refund (tenant_id, order_id, type, amount, reason, items, created_at)
            VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7)
            RETURNING id, order_id, type, amount, reason, items::text AS items, created_at""")
        .execute(Tuple.from(Arrays.asList(tenantId, orderId, type, amount, reason, itemsJson, now)))
        .map(rows -> refund(rows.iterator().next()));
  }

  public Uni<List<RefundView>> refunds(SqlClient client, String tenantId, long orderId) {
    return client.preparedQuery("""
            SELECT id, order_id, type, amount, reason, items::text AS items, created_at FROM order_refund
             WHERE tenant_id = $1 AND order_id = $2 ORDER BY id""")
        .execute(Tuple.of(tenantId, orderId))
        .map(rows -> {
          List<RefundView> out = new ArrayList<>();
          rows.forEach(row -> out.add(refund(row)));
          return out;
        });
  }

  public Uni<ReviewView> insertReview(SqlClient tx, String tenantId, long orderId, int rating, String text,
      boolean followUp, OffsetDateTime now) {
    return tx.preparedQuery("""
            INSERT INTO order_review (tenant_id, order_id, rating, text, follow_up, created_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            RETURNING id, order_id, rating, text, follow_up, created_at""")
        .execute(Tuple.from(Arrays.asList(tenantId, orderId, rating, text, followUp, now)))
        .map(rows -> review(rows.iterator().next()));
  }

  public Uni<List<ReviewView>> reviews(SqlClient client, String tenantId, long orderId) {
    return client.preparedQuery("""
            SELECT id, order_id, rating, text, follow_up, created_at FROM order_review
             WHERE tenant_id = $1 AND order_id = $2 ORDER BY id""")
        .execute(Tuple.of(tenantId, orderId))
        .map(rows -> {
          List<ReviewView> out = new ArrayList<>();
          rows.forEach(row -> out.add(review(row)));
          return out;
        });
  }

  /** One keyset page of the tenant's orders by id (oldest first), one extra row to tell a next page. */
  public Uni<List<OrderView>> list(SqlClient client, String tenantId, OrderFilter f, PageRequest page) {
    List<Object> args = new ArrayList<>(List.of(tenantId, page.after() == null ? 0L : page.after()));
    StringBuilder where = new StringBuilder("o.tenant_id = $1 AND o.id > $2");
    condition(where, args, "o.customer_external_id = $", f.customerExternalId());
    condition(where, args, "o.customer_id = $", f.customerId());
    condition(where, args, "o.status = $", f.status() == null ? null : f.status().wire());
    condition(where, args, "o.ordered_at >= $", f.from());
    condition(where, args, "o.ordered_at < $", f.to());
    condition(where, args, "o.channel = $", f.channel());
    condition(where, args, "o.coupon_code = $", f.couponCode());
    args.add(page.fetchSize());
    return client.preparedQuery("SELECT " + COLUMNS + " FROM orders o WHERE " + where
            + " ORDER BY o.id LIMIT $" + args.size())
        .execute(Tuple.from(args))
        .map(rows -> {
          List<OrderView> out = new ArrayList<>();
          rows.forEach(row -> out.add(view(row)));
          return out;
        });
  }

  /** Tenants with orders whose buyer is still to be resolved (the background job's work list). */
  public Uni<List<String>> tenantsWithPendingBuyers(SqlClient client, int limit) {
    return client.preparedQuery("SELECT DISTINCT tenant_id FROM orders WHERE customer_pending LIMIT $1")
        .execute(Tuple.of(limit))
        .map(rows -> {
          List<String> out = new ArrayList<>();
          rows.forEach(row -> out.add(row.getString("tenant_id")));
          return out;
        });
  }

  public Uni<List<PendingBuyer>> pendingBuyers(SqlClient client, String tenantId, int limit) {
    return client.preparedQuery("""
            SELECT id, customer_platform, customer_external_id, customer_name, customer_phone, customer_email,
                   province, city
              FROM orders WHERE tenant_id = $1 AND customer_pending ORDER BY id LIMIT $2""")
        .execute(Tuple.of(tenantId, limit))
        .map(rows -> {
          List<PendingBuyer> out = new ArrayList<>();
          rows.forEach(r -> out.add(new PendingBuyer(r.getLong("id"), r.getString("customer_platform"),
              r.getString("customer_external_id"), r.getString("customer_name"), r.getString("customer_phone"),
              r.getString("customer_email"), r.getString("province"), r.getString("city"))));
          return out;
        });
  }

  /** Sets the resolved buyer (or the reason it was refused) on pending orders; one statement. */
  public Uni<Integer> resolvePending(SqlClient client, String tenantId, Long[] orderIds, Long[] customerIds,
      String[] errors, OffsetDateTime now) {
    return client.preparedQuery("""
            UPDATE orders o SET customer_id = t.cid, customer_error = t.err, customer_pending = false, updated_at = $5
              FROM unnest($2::bigint[], $3::bigint[], $4::text[]) AS t(oid, cid, err)
             WHERE o.tenant_id = $1 AND o.id = t.oid AND o.customer_pending""")
        .execute(Tuple.from(Arrays.asList(tenantId, orderIds, customerIds, errors, now)))
        .map(rows -> rows.rowCount());
  }

  // ---------------------------------------------------------------- mapping

  private static void condition(StringBuilder where, List<Object> args, String sql, Object value) {
    if (value != null) {
      args.add(value);
      where.append(" AND ").append(sql).append(args.size());
    }
  }

  private Uni<Stored> one(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return new Stored(view(row), row.getString("content_hash"));
    });
  }

  private OrderView view(Row r) {
    return new OrderView(r.getLong("id"), r.getString("order_no"), r.getString("customer_external_id"),
        r.getString("customer_platform"), r.getLong("customer_id"), r.getBoolean("customer_pending"),
        r.getString("customer_name"), r.getString("customer_phone"), r.getString("customer_email"),
        r.getString("province"), r.getString("city"), r.getOffsetDateTime("ordered_at"), r.getOffsetDateTime("paid_at"),
        r.getBigDecimal("total_amount"), r.getBigDecimal("discount_amount"), r.getBigDecimal("shipping_fee"),
        r.getBigDecimal("refunded_amount"), r.getString("status"), r.getString("coupon_code"), r.getString("channel"),
        items(r.getString("items")), null, null, r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
  }

  private List<OrderItemView> items(String json) {
    try {
      return mapper.readValue(json, ITEMS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable order items", e);
    }
  }

  private RefundView refund(Row r) {
    String items = r.getString("items");
    try {
      return new RefundView(r.getLong("id"), r.getLong("order_id"), r.getString("type"), r.getBigDecimal("amount"),
          r.getString("reason"), items == null ? null : mapper.readTree(items), r.getOffsetDateTime("created_at"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable refund items", e);
    }
  }

  private static ReviewView review(Row r) {
    return new ReviewView(r.getLong("id"), r.getLong("order_id"), r.getInteger("rating"), r.getString("text"),
        r.getBoolean("follow_up"), r.getOffsetDateTime("created_at"));
  }
}
