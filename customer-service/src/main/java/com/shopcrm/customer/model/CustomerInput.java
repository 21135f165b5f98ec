package com.shopcrm.customer.model;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A customer as clients send it: on create, in a bulk upsert, and (field by field) in a PATCH. */
@Schema(name = "CustomerInput")
public record CustomerInput(
    @Schema(description = "The shop platform's buyer id; unique per tenant together with platform")
    @Size(min = 1, max = 128) String externalId,
    @Schema(required = true) @NotBlank @Size(max = 200) String name,
    @Schema(examples = "+86 152-1234-3170")
    @Pattern(regexp = "^\\+?[0-9][0-9 ()\\-]{4,23}$", message = "must be a phone number (digits, spaces, +, -, parentheses)")
    String phone,
    @Email @Size(max = 254) String email,
    Gender gender,
    @PastOrPresent LocalDate birthday,
    @Size(max = 64) String province,
    @Size(max = 64) String city,
    @Size(max = 50) List<@NotBlank @Size(max = 64) String> tags,
    @Schema(description = "Defaults to own_site") Platform platform,
    @Schema(examples = "25-34") @Size(max = 32) String ageBand,
    @Size(max = 100) String occupation,
    @Schema(description = "Custom attributes: any JSON object") Map<String, Object> attributes) {

  public Platform platformOrDefault() {
    return platform == null ? Platform.DEFAULT : platform;
  }

  /** Distinct trimmed tags in request order. */
  public List<String> tagList() {
    return tags == null ? List.of() : tags.stream().map(String::trim).distinct().toList();
  }
}
