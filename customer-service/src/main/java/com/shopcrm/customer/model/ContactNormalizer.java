package com.shopcrm.customer.model;

/**
 * The forms of phone numbers and e-mail addresses compared for duplicate detection, and their
 * masked forms for roles without PII permission.
 */
public final class ContactNormalizer {

  private ContactNormalizer() {
  }

  /** Digits only, the China country code (+86 / 0086) stripped: {@code +86 152-1234-3170 -> 15212343170}. */
  public static String phone(String raw) {
    if (raw == null) {
      return null;
    }
    String digits = raw.replaceAll("[^0-9]", "");
    if (digits.startsWith("0086") && digits.length() > 11) {
      digits = digits.substring(4);
    } else if (digits.startsWith("86") && digits.length() == 13) {
      digits = digits.substring(2);
    }
    return digits.isEmpty() ? null : digits;
  }

  public static String email(String raw) {
    if (raw == null) {
      return null;
    }
    String trimmed = raw.trim().toLowerCase();
    return trimmed.isEmpty() ? null : trimmed;
  }

  /** {@code 15212343170 -> 152****3170}: the first three and the last four digits stay. */
  public static String maskPhone(String phone) {
    if (phone == null) {
      return null;
    }
    String digits = phone(phone);
    if (digits == null || digits.length() < 8) {
      return "****";
    }
    return digits.substring(0, 3) + "****" + digits.substring(digits.length() - 4);
  }

  /** {@code zhang@example.com -> z***@example.com}. */
  public static String maskEmail(String email) {
    if (email == null) {
      return null;
    }
    int at = email.indexOf('@');
    if (at < 1) {
      return "***";
    }
    return email.charAt(0) + "***" + email.substring(at);
  }
}
