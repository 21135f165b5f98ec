package com.shopcrm.order.service.imports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Reading field values of platform exports: Excel guards, money, timestamps, contact details. */
final class CsvValues {

  private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("uuuu-M-d[ ]['T']H:mm[:ss][.SSS]");
  private static final DateTimeFormatter LOCAL_DATE = DateTimeFormatter.ofPattern("uuuu-M-d");
  private static final DateTimeFormatter COMPACT_DATE = DateTimeFormatter.BASIC_ISO_DATE;
  private static final Pattern PHONE = Pattern.compile("^\\+?[0-9][0-9 ()\\-]{4,23}$");
  private static final Pattern WITH_OFFSET = Pattern.compile(".*T.*[+-]\\d\\d:?\\d\\d$");

  private CsvValues() {
  }

  /** Thrown for a value that cannot be read; the message is the row's reason. */
  static final class BadValue extends RuntimeException {
    BadValue(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The field trimmed, without Excel's {@code ="..."} number guard or a leading apostrophe or tab;
   * null when empty.
   */
  static String clean(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip();
    if (s.length() >= 3 && s.startsWith("=\"") && s.endsWith("\"")) {
      s = s.substring(2, s.length() - 1).strip();
    } else if (s.startsWith("'")) {
      s = s.substring(1).strip();
    }
    return s.isEmpty() ? null : s;
  }

  static String required(String value, String column) {
    if (value == null) {
      throw new BadValue(column + ": missing");
    }
    return value;
  }

  static String maxLength(String value, int max, String column) {
    if (value != null && value.length() > max) {
      throw new BadValue(column + ": longer than " + max + " characters");
    }
    return value;
  }

  /** A non-negative amount with at most 2 decimals; thousands separators and ¥ allowed. */
  static BigDecimal money(String value, String column) {
    if (value == null) {
      return null;
    }
    String s = value;
    if (s.indexOf(',') >= 0 || s.indexOf('¥') >= 0 || s.indexOf('￥') >= 0) {
      s = s.replace(",", "").replace("¥", "").replace("￥", "").strip();
    }
    BigDecimal amount;
    try {
      amount = new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw new BadValue(column + ": not a number ('" + value + "')");
    }
    if (amount.signum() < 0) {
      throw new BadValue(column + ": must not be negative");
    }
    amount = amount.stripTrailingZeros();
    if (amount.scale() > 2) {
      throw new BadValue(column + ": at most 2 decimals ('" + value + "')");
    }
    if (amount.precision() - amount.scale() > 12) {
      throw new BadValue(column + ": too large");
    }
    return amount.setScale(2);
  }

  /** A positive whole number. */
  static Integer quantity(String value, String column) {
    if (value == null) {
      return null;
    }
    int q;
    try {
      q = new BigDecimal(value.strip()).intValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new BadValue(column + ": not a whole number ('" + value + "')");
    }
    if (q <= 0) {
      throw new BadValue(column + ": must be greater than 0");
    }
    return q;
  }

  /**
   * ISO-8601 with offset, or a local {@code yyyy-MM-dd HH:mm:ss} / ISO local date-time / date /
   * {@code yyyyMMdd} in the shop's zone. Slashes are read as dashes.
   */
  static OffsetDateTime timestamp(String value, String column, ZoneId zone) {
    if (value == null) {
      return null;
    }
    String s = value.strip();
    try {
      if (s.length() == 8 && s.chars().allMatch(Character::isDigit)) {
        return LocalDate.parse(s, COMPACT_DATE).atStartOfDay(zone).toOffsetDateTime();
      }
      s = s.replace('/', '-');
      LocalDateTime plain = plainLocal(s);
      if (plain != null) {
        return plain.atZone(zone).toOffsetDateTime();
      }
      if (s.endsWith("Z") || WITH_OFFSET.matcher(s).matches()) {
        return OffsetDateTime.parse(s.replace(' ', 'T')).withOffsetSameInstant(ZoneOffset.UTC);
      }
      if (s.length() <= 10) {
        return LocalDate.parse(s, LOCAL_DATE).atStartOfDay(zone).toOffsetDateTime();
      }
      return LocalDateTime.parse(s, LOCAL_TIME).atZone(zone).toOffsetDateTime();
    } catch (DateTimeParseException e) {
      throw new BadValue(column + ": not a date-time ('" + value
          + "'; ISO-8601, yyyy-MM-dd HH:mm:ss or yyyyMMdd)");
    }
  }

  /**
   * The common {@code yyyy-MM-dd HH:mm:ss} read without a formatter (most exports use it; the
   * formatter with its optional sections costs more than the rest of a row); null for any other shape.
   */
  private static LocalDateTime plainLocal(String s) {
    if (s.length() != 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != ' ' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second);
    } catch (java.time.DateTimeException e) {
      return null; // e.g. February 30: the formatter below resolves (or rejects) it as it always did
    }
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** A phone as customer-service accepts it, else null (masked numbers such as 138****0000 are dropped). */
  static String phone(String value) {
    return value != null && PHONE.matcher(value).matches() ? value : null;
  }

  static String email(String value) {
    return value != null && value.indexOf('@') > 0 && value.length() <= 254 && !value.contains(" ") ? value : null;
  }

  static String limit(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
