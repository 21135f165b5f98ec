package com.shopcrm.order.privacy;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Whose data an internal export or erase is about (docs/PRIVACY.md): customer-service's ids of the
 * customer (the profile and the profiles merged into it) and its platform identities, which also
 * name orders whose buyer was never resolved to an id.
 */
public record PrivacyRequest(
    @Schema(description = "customer-service ids: the customer and the profiles merged into it", required = true)
    @NotNull @Size(min = 1, max = 1000) List<@NotNull Long> customerIds,
    @Schema(description = "The customer's (platform, external_id) identities")
    @Size(max = 1000) List<@Valid @NotNull Identity> identities) {

  public record Identity(@NotBlank String platform, @NotBlank String externalId) {
  }

  Long[] ids() {
    return customerIds.toArray(Long[]::new);
  }

  String[] platforms() {
    return identities == null ? new String[0] : identities.stream().map(Identity::platform).toArray(String[]::new);
  }

  String[] externalIds() {
    return identities == null ? new String[0] : identities.stream().map(Identity::externalId).toArray(String[]::new);
  }
}
