package com.shopcrm.customer.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A customer profile as clients see it. */
public record CustomerView(
    long id,
    Platform platform,
    String externalId,
    String name,
    String phone,
    String email,
    Gender gender,
    LocalDate birthday,
    String province,
    String city,
    String ageBand,
    String occupation,
    List<String> tags,
    JsonNode attributes,
    List<Identity> identities,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  /** One (platform, external id) that leads to this customer; a merged profile keeps the loser's. */
  public record Identity(Platform platform, String externalId) {
  }

  /** Phone and e-mail masked, for roles without PII permission. */
  public CustomerView masked() {
    return new CustomerView(id, platform, externalId, name, ContactNormalizer.maskPhone(phone),
        ContactNormalizer.maskEmail(email), gender, birthday, province, city, ageBand, occupation, tags,
        attributes, identities, createdAt, updatedAt);
  }
}
