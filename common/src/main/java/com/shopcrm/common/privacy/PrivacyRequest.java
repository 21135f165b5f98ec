package com.shopcrm.common.privacy;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Whose data an internal export or erase is about (docs/PRIVACY.md), as customer-service sends it to
 * order-, scoring- and campaign-service: customer-service's ids of the customer (the profile and the
 * profiles merged into it) and its platform identities, which also name orders whose buyer was never
 * resolved to an id (campaign-service holds customers by id only and ignores them).
 */
public record PrivacyRequest(
    @NotNull @Size(min = 1, max = 1000) List<@NotNull Long> customerIds,
    @Size(max = 1000) List<@Valid @NotNull Identity> identities) {

  /** A (platform, external_id) identity of the customer. */
  public record Identity(@NotBlank String platform, @NotBlank String externalId) {
  }

  public Long[] ids() {
    return customerIds.toArray(Long[]::new);
  }

  public String[] platforms() {
    return identities == null ? new String[0] : identities.stream().map(Identity::platform).toArray(String[]::new);
  }

  public String[] externalIds() {
    return identities == null ? new String[0] : identities.stream().map(Identity::externalId).toArray(String[]::new);
  }
}
