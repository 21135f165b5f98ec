package com.shopcrm.order.service.imports;

import static com.shopcrm.order.service.imports.CsvValues.maxLength;
import static com.shopcrm.order.service.imports.CsvValues.required;

import com.shopcrm.order.model.OrderStatus;
import com.shopcrm.order.model.Platform;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The generic order CSV (fixed, ARCHITECTURE §4): required {@code order_no, customer_external_id,
 * ordered_at, total_amount}; optional {@code status} (default completed), {@code customer_name,
 * phone, email, province, city, sku, product_name, category, quantity, unit_price, coupon_code,
 * channel, refund_amount}. Rows sharing an order_no are line items of one order. Header names are
 * matched trimmed and case-insensitively; other columns are ignored.
 */
final class GenericCsvLayout extends OrderCsvLayout {

  private static final List<String> REQUIRED = List.of("order_no", "customer_external_id", "ordered_at",
      "total_amount");

  GenericCsvLayout(Map<String, Integer> columns, ZoneId zone) {
    super(columns, zone);
  }

  @Override
  protected List<String> missingColumns() {
    return REQUIRED.stream().filter(c -> !has(c)).toList();
  }

  @Override
  protected String orderNoOf(CsvRecord r) {
    return get(r, "order_no");
  }

  @Override
  protected ImportRow parse(CsvRecord r) {
    String orderNo = maxLength(required(get(r, "order_no"), "order_no"), 64, "order_no");
    String buyer = maxLength(required(get(r, "customer_external_id"), "customer_external_id"), 128,
        "customer_external_id");
    var orderedAt = CsvValues.timestamp(required(get(r, "ordered_at"), "ordered_at"), "ordered_at", zone);
    BigDecimal total = CsvValues.money(required(get(r, "total_amount"), "total_amount"), "total_amount");
    String status = get(r, "status");
    if (status != null) {
      OrderStatus s = OrderStatus.fromWire(status.toLowerCase());
      if (s == null) {
        throw new CsvValues.BadValue("status: unknown '" + status + "' (one of " + OrderStatus.wireList() + ")");
      }
      status = s.wire();
    }
    BigDecimal refund = CsvValues.money(get(r, "refund_amount"), "refund_amount");
    if (refund != null && refund.compareTo(total) > 0) {
      throw new CsvValues.BadValue("refund_amount: more than total_amount");
    }
    String sku = maxLength(get(r, "sku"), 128, "sku");
    String productName = get(r, "product_name");
    Integer quantity = CsvValues.quantity(get(r, "quantity"), "quantity");
    BigDecimal unitPrice = CsvValues.money(get(r, "unit_price"), "unit_price");
    ImportRow.Item item = null;
    if (sku != null || productName != null) {
      item = new ImportRow.Item(sku != null ? sku : CsvValues.limit(productName, 128), CsvValues.limit(productName, 500),
          CsvValues.limit(get(r, "category"), 128), quantity == null ? 1 : quantity, unitPrice);
    } else if (quantity != null || unitPrice != null) {
      throw new CsvValues.BadValue("sku: missing (a row with quantity or unit_price names its sku or product_name)");
    }
    return new ImportRow(r.getStartingLineNumber(), orderNo, buyer, false, Platform.DEFAULT.wire(), orderedAt, null,
        total, refund, status, CsvValues.limit(get(r, "customer_name"), 200), CsvValues.phone(get(r, "phone")),
        CsvValues.email(get(r, "email")), CsvValues.limit(get(r, "province"), 64),
        CsvValues.limit(get(r, "city"), 64), maxLength(get(r, "coupon_code"), 64, "coupon_code"),
        maxLength(get(r, "channel"), 64, "channel"), item, null);
  }
}
