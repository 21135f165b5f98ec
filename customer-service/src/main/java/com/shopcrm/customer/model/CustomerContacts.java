package com.shopcrm.customer.model;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /customers/contacts}: phone, e-mail and name of a batch of recipients, for the
 * channel adapters of campaign-service (whose database holds no personal data).
 */
public final class CustomerContacts {

  public static final int MAX_IDS = 5000;

  private CustomerContacts() {
  }

  public record Request(
      @Schema(description = "Up to 5000 customer ids", maxItems = MAX_IDS, required = true)
      @NotNull @Size(max = MAX_IDS) List<@NotNull @Positive Long> customerIds) {
  }

  /** One live customer's contact details and, per channel, whether it may be contacted. */
  public record Contact(
      long customerId,
      String name,
      String phone,
      String email,
      @Schema(description = "Contactable by SMS under the tenant's consent model (implied: unless opted out)")
      boolean consentSms,
      @Schema(description = "Contactable by e-mail under the tenant's consent model")
      boolean consentEmail,
      @Schema(description = "Contactable in the app under the tenant's consent model")
      boolean consentApp) {
  }

  /** Ids unknown, of another tenant, or merged away are simply absent. */
  public record Response(List<Contact> items) {
  }
}
