package com.shopcrm.order.service.imports;

import com.shopcrm.common.problem.ProblemException;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How the records of one CSV layout read into {@link ImportRow}s, the columns found by the header. */
public abstract class OrderCsvLayout {

  private final Map<String, Integer> columns;
  protected final ZoneId zone;

  protected OrderCsvLayout(Map<String, Integer> columns, ZoneId zone) {
    this.columns = columns;
    this.zone = zone;
  }

  /** The layout for the header record, or a 400 naming the required columns it lacks. */
  public static OrderCsvLayout of(ImportFormat format, List<String> header, ZoneId zone) {
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).replace("\uFEFF", "").strip();
      columns.putIfAbsent(format == ImportFormat.GENERIC ? name.toLowerCase() : name, i);
    }
    OrderCsvLayout layout = format == ImportFormat.GENERIC
        ? new GenericCsvLayout(columns, zone) : new TaobaoCsvLayout(columns, zone);
    List<String> missing = layout.missingColumns();
    if (!missing.isEmpty()) {
      throw ProblemException.badRequest("The " + format.wire() + " CSV header lacks the required column(s) "
          + String.join(", ", missing) + (format == ImportFormat.GENERIC
          ? " (required: order_no, customer_external_id, ordered_at, total_amount)"
          : " (required: 订单编号, 订单创建时间, and 买家实际支付金额 or 总金额)")
          + "; found: " + header.stream().map(String::strip).collect(Collectors.joining(", ")));
    }
    return layout;
  }

  /** Reads one data record; a record that cannot be imported comes back with its reason. */
  public final ImportRow read(CsvRecord record) {
    try {
      return parse(record);
    } catch (CsvValues.BadValue e) {
      return ImportRow.rejected(record.getStartingLineNumber(), orderNoOf(record), e.getMessage());
    }
  }

  /** True for a record whose fields are all empty (trailing lines of spreadsheet exports). */
  public static boolean blank(CsvRecord record) {
    for (String f : record.getFields()) {
      if (!f.isBlank()) {
        return false;
      }
    }
    return true;
  }

  protected abstract List<String> missingColumns();

  protected abstract ImportRow parse(CsvRecord record);

  protected abstract String orderNoOf(CsvRecord record);

  protected boolean has(String column) {
    return columns.containsKey(column);
  }

  /** The cleaned value of the column, null when the column is absent or the field empty. */
  protected String get(CsvRecord record, String column) {
    Integer i = columns.get(column);
    return i == null || i >= record.getFieldCount() ? null : CsvValues.clean(record.getField(i));
  }
}
