package com.shopcrm.customer.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** {@code POST /customers/{id}/tags} body, and the customer's tags afterwards. */
public final class CustomerTags {
  private CustomerTags() {
  }

  public record Request(@NotNull @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 64) String> tags) {
  }

  public record View(long customerId, List<String> tags) {
  }
}
