package com.shopcrm.campaign.privacy;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Whose data an internal export or erase is about (docs/PRIVACY.md): customer-service's ids of the
 * customer (the profile and the profiles merged into it). Identities are accepted for the same request
 * shape as the other services; campaign-service holds customers by id only.
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
}
