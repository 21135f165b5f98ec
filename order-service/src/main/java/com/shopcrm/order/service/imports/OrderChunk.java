package com.shopcrm.order.service.imports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rows of one chunk grouped into orders: rows sharing an order_no are the line items of one
 * order and must agree on the order's fields. An order with a bad or inconsistent row is rejected
 * whole (every row reported), never imported in part.
 */
public final class OrderChunk {

  /** A rejected row, as the job reports it. */
  public record RowError(long line, String reason) {
  }

  /** An order ready to store; {@code rows} is how many CSV rows it came from. */
  public record ImportedOrder(ImportRow head, List<ImportRow.Item> items, String status, int rows) {
  }

  /** What a chunk holds once assembled. */
  public record Assembled(List<ImportedOrder> orders, List<RowError> errors, int rowsTotal, int rowsRejected) {
  }

  private static final class Group {
    final ImportRow head;
    final List<ImportRow> rows = new ArrayList<>();
    String status;
    long badLine = -1;
    String badReason;

    Group(ImportRow head) {
      this.head = head;
    }
  }

  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final List<RowError> loose = new ArrayList<>();
  private int rows;
  private String lastOrderNo;

  public void add(ImportRow row) {
    rows++;
    if (row.orderNo() == null) {
      loose.add(new RowError(row.line(), row.error()));
      return;
    }
    lastOrderNo = row.orderNo();
    Group g = groups.get(row.orderNo());
    if (g == null) {
      g = new Group(row);
      groups.put(row.orderNo(), g);
    }
    g.rows.add(row);
    if (g.badReason != null) {
      return;
    }
    if (row.error() != null) {
      reject(g, row.line(), row.error());
      return;
    }
    if (g.rows.size() > 1) {
      String differs = differs(g.head, row);
      if (differs != null) {
        reject(g, row.line(), differs + ": differs from line " + g.head.line() + " of the same order_no");
        return;
      }
    }
    if (row.status() != null && g.status == null) {
      g.status = row.status();
    }
  }

  public int orderCount() {
    return groups.size();
  }

  public int rowCount() {
    return rows;
  }

  public String lastOrderNo() {
    return lastOrderNo;
  }

  public Assembled assemble() {
    List<ImportedOrder> orders = new ArrayList<>(groups.size());
    List<RowError> errors = new ArrayList<>(loose);
    int rejected = loose.size();
    for (Group g : groups.values()) {
      if (g.badReason == null && g.head.error() == null) {
        List<ImportRow.Item> items = new ArrayList<>();
        for (ImportRow r : g.rows) {
          if (r.item() != null) {
            items.add(r.item());
          }
        }
        if (items.size() > 500) {
          reject(g, g.rows.get(500).line(), "an order has at most 500 line items");
        } else if (items.size() == 1 && items.get(0).unitPrice() == null) {
          ImportRow.Item only = items.get(0);
          items.set(0, new ImportRow.Item(only.sku(), only.productName(), only.category(), only.quantity(),
              g.head.totalAmount().divide(BigDecimal.valueOf(only.quantity()), 2, RoundingMode.HALF_UP)));
        } else if (items.stream().anyMatch(i -> i.unitPrice() == null)) {
          ImportRow missing = g.rows.stream().filter(r -> r.item() != null && r.item().unitPrice() == null)
              .findFirst().orElseThrow();
          reject(g, missing.line(), "unit_price: missing (required when an order has several items)");
        }
        if (g.badReason == null) {
          orders.add(new ImportedOrder(g.head, items, g.status == null ? "completed" : g.status, g.rows.size()));
          continue;
        }
      }
      for (ImportRow r : g.rows) {
        errors.add(new RowError(r.line(), r.line() == g.badLine ? g.badReason
            : "order " + g.head.orderNo() + " not imported: line " + g.badLine + " has an error (" + g.badReason
                + ")"));
      }
      rejected += g.rows.size();
    }
    errors.sort(Comparator.comparingLong(RowError::line));
    return new Assembled(orders, errors, rows, rejected);
  }

  private static void reject(Group g, long line, String reason) {
    g.badLine = line;
    g.badReason = reason;
  }

  /** The first order-level field a later row of the order sets to another value, or null. */
  private static String differs(ImportRow a, ImportRow b) {
    if (!Objects.equals(a.customerExternalId(), b.customerExternalId())) {
      return "customer_external_id";
    }
    if (!a.orderedAt().isEqual(b.orderedAt())) {
      return "ordered_at";
    }
    if (a.totalAmount().compareTo(b.totalAmount()) != 0) {
      return "total_amount";
    }
    if (b.status() != null && a.status() != null && !a.status().equals(b.status())) {
      return "status";
    }
    if (b.refundAmount() != null && (a.refundAmount() == null || a.refundAmount().compareTo(b.refundAmount()) != 0)) {
      return "refund_amount";
    }
    if (b.couponCode() != null && !b.couponCode().equals(a.couponCode())) {
      return "coupon_code";
    }
    if (b.channel() != null && !b.channel().equals(a.channel())) {
      return "channel";
    }
    return null;
  }
}
