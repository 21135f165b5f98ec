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
    String s = value.replace(",", "").replace("¥", "").replace("￥", "").strip();
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
      if (s.endsWith("Z") || s.matches(".*T.*[+-]\\d\\d:?\\d\\d$")) {
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
