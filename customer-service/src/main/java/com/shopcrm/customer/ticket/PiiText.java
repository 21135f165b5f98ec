package com.shopcrm.customer.ticket;

import com.shopcrm.customer.model.ContactNormalizer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks mainland mobile numbers and e-mail addresses inside free text, for roles without PII permission. */
final class PiiText {

  private static final Pattern PHONE = Pattern.compile("(?<!\\d)(?:\\+?86[- ]?)?1[3-9]\\d[- ]?\\d{4}[- ]?\\d{4}(?!\\d)");
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

  private PiiText() {
  }

  static String mask(String text) {
    if (text == null) {
      return null;
    }
    String phones = replace(PHONE.matcher(text), true);
    return replace(EMAIL.matcher(phones), false);
  }

  private static String replace(Matcher m, boolean phone) {
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String masked = phone ? ContactNormalizer.maskPhone(m.group()) : ContactNormalizer.maskEmail(m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(masked));
    }
    m.appendTail(out);
    return out.toString();
  }
}
