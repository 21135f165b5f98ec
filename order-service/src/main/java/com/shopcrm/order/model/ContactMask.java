package com.shopcrm.order.model;

/** Masked phone numbers and e-mail addresses for roles without PII permission (ARCHITECTURE §3). */
public final class ContactMask {

  private ContactMask() {
  }

  /** {@code 15212343170 -> 152****3170}. */
  public static String phone(String phone) {
    if (phone == null) {
      return null;
    }
    String digits = phone.replaceAll("[^0-9]", "");
    if (digits.startsWith("0086") && digits.length() > 11) {
      digits = digits.substring(4);
    } else if (digits.startsWith("86") && digits.length() == 13) {
      digits = digits.substring(2);
    }
    if (digits.length() < 8) {
      return "****";
    }
    return digits.substring(0, 3) + "****" + digits.substring(digits.length() - 4);
  }

  /** {@code zhang@example.com -> z***@example.com}. */
  public static String email(String email) {
    if (email == null) {
      return null;
    }
    int at = email.indexOf('@');
    return at < 1 ? "***" : email.charAt(0) + "***" + email.substring(at);
  }
}
