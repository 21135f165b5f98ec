package com.shopcrm.order.service.imports;

import static com.shopcrm.order.service.imports.CsvValues.maxLength;
import static com.shopcrm.order.service.imports.CsvValues.required;

import com.shopcrm.order.model.OrderStatus;
import com.shopcrm.order.model.Platform;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Taobao/Tmall seller-center "sold items" order report, one row per order, Chinese headers
 * matched after trimming. The order total is 总金额 when present, else 买家实际支付金额. Without the
 * buyer column (买家会员名; anonymised exports) orders import as anonymous: no customer, no
 * customer-service call.
 *
 * <p>Status: 订单状态 words (交易成功 → completed, 交易关闭 → cancelled, 等待买家付款 → created,
 * 买家已付款/等待卖家发货 → paid, 卖家已发货/等待买家确认收货 → shipped); a report without the column
 * says created for an order without 订单付款时间, else completed. A refund (退款金额) equal to the total
 * makes a paid or closed order refunded; a smaller one makes a paid order partially_refunded.
 */
final class TaobaoCsvLayout extends OrderCsvLayout {

  static final String ORDER_NO = "订单编号";
  static final String BUYER = "买家会员名";
  static final String PAID_AMOUNT = "买家实际支付金额";
  static final String TOTAL = "总金额";
  static final String STATUS = "订单状态";
  static final String CREATED_AT = "订单创建时间";
  static final String PAID_AT = "订单付款时间";
  static final String TITLE = "宝贝标题";
  static final String QUANTITY = "宝贝总数量";
  static final String SELLER_SKU = "商家编码";
  static final String CONSIGNEE = "收货人姓名";
  static final String PHONE = "联系手机";
  static final String ADDRESS = "收货地址";
  static final String REFUND = "退款金额";
  static final String SHOP = "店铺名称";

  private final boolean anonymous;

  TaobaoCsvLayout(Map<String, Integer> columns, ZoneId zone) {
    super(columns, zone);
    this.anonymous = !has(BUYER);
  }

  @Override
  protected List<String> missingColumns() {
    List<String> missing = new ArrayList<>();
    if (!has(ORDER_NO)) {
      missing.add(ORDER_NO);
    }
    if (!has(CREATED_AT)) {
      missing.add(CREATED_AT);
    }
    if (!has(PAID_AMOUNT) && !has(TOTAL)) {
      missing.add(PAID_AMOUNT);
    }
    return missing;
  }

  @Override
  protected String orderNoOf(CsvRecord r) {
    return get(r, ORDER_NO);
  }

  @Override
  protected ImportRow parse(CsvRecord r) {
    String orderNo = maxLength(required(get(r, ORDER_NO), ORDER_NO), 64, ORDER_NO);
    String buyer = anonymous ? null : maxLength(get(r, BUYER), 128, BUYER);
    OffsetDateTime orderedAt = CsvValues.timestamp(required(get(r, CREATED_AT), CREATED_AT), CREATED_AT, zone);
    OffsetDateTime paidAt = CsvValues.timestamp(get(r, PAID_AT), PAID_AT, zone);
    BigDecimal total = has(TOTAL)
        ? CsvValues.money(required(get(r, TOTAL), TOTAL), TOTAL)
        : CsvValues.money(required(get(r, PAID_AMOUNT), PAID_AMOUNT), PAID_AMOUNT);
    BigDecimal refund = CsvValues.money(get(r, REFUND), REFUND);
    if (refund != null && refund.compareTo(total) > 0) {
      throw new CsvValues.BadValue(REFUND + ": more than the order's amount (" + total.toPlainString() + ")");
    }
    OrderStatus status = status(get(r, STATUS), paidAt, total, refund);
    ImportRow.Item item = null;
    String title = get(r, TITLE);
    if (title != null) {
      Integer quantity = CsvValues.quantity(get(r, QUANTITY), QUANTITY);
      int q = quantity == null ? 1 : quantity;
      String sku = get(r, SELLER_SKU);
      item = new ImportRow.Item(CsvValues.limit(sku != null ? sku : title, 128), CsvValues.limit(title, 500), null, q,
          total.divide(BigDecimal.valueOf(q), 2, RoundingMode.HALF_UP));
    }
    ChineseAddress.Place place = ChineseAddress.parse(get(r, ADDRESS));
    boolean noBuyer = buyer == null;
    return new ImportRow(r.getStartingLineNumber(), orderNo, buyer, noBuyer, Platform.TAOBAO.wire(), orderedAt,
        paidAt, total, refund, status.wire(), noBuyer ? null : CsvValues.limit(get(r, CONSIGNEE), 200),
        noBuyer ? null : CsvValues.phone(get(r, PHONE)), null, place.province(), place.city(), null,
        CsvValues.limit(get(r, SHOP), 64), item, null);
  }

  private static OrderStatus status(String word, OffsetDateTime paidAt, BigDecimal total, BigDecimal refund) {
    OrderStatus base;
    if (word == null) {
      base = paidAt == null ? OrderStatus.CREATED : OrderStatus.COMPLETED;
    } else if (word.contains("交易成功")) {
      base = OrderStatus.COMPLETED;
    } else if (word.contains("关闭")) {
      base = OrderStatus.CANCELLED;
    } else if (word.contains("等待买家付款")) {
      base = OrderStatus.CREATED;
    } else if (word.contains("已发货") || word.contains("等待买家确认收货")) {
      base = OrderStatus.SHIPPED;
    } else if (word.contains("已付款") || word.contains("等待卖家发货")) {
      base = OrderStatus.PAID;
    } else {
      throw new CsvValues.BadValue(STATUS + ": unknown status '" + word + "'");
    }
    if (refund == null || refund.signum() == 0 || base == OrderStatus.CREATED) {
      return base;
    }
    if (refund.compareTo(total) >= 0) {
      return OrderStatus.REFUNDED;
    }
    return base == OrderStatus.CANCELLED ? base : OrderStatus.PARTIALLY_REFUNDED;
  }
}
